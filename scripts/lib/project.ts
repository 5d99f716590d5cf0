// Where the project and its local, never-committed state live.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const LOCAL_DIR = path.join(PROJECT_ROOT, '.local');
export const SUPABASE_DIR = path.join(PROJECT_ROOT, 'supabase');
export const MIGRATIONS_DIR = path.join(SUPABASE_DIR, 'migrations');
