// The RPCs of issue 13 as the endpoint calls them (DESIGN-13.md), laid over the generated
// database types. database.types.ts is generated from the migrations and must stay exactly what
// `npm run db:types` writes (tests/integration/database-types.test.ts), so the functions the SQL
// branch adds are declared here until its migrations land; afterwards these declarations agree
// with the generated ones (same named arguments, all returning jsonb) and can be deleted.
import type { Database, Json } from './database.types.ts';

type PublicSchema = Database['public'];
type GeneratedFunctions = PublicSchema['Functions'];

// A type, not an interface: supabase-js needs the implicit index signature of a type literal.
type ReceptionistFunctions = {
  /** Gains a trailing `p_practitioner_id uuid default null` (null = "anyone"). */
  book_appointment_atomic: {
    Args: GeneratedFunctions['book_appointment_atomic']['Args'] & { p_practitioner_id?: string };
    Returns: Json;
  };
  find_appointments: {
    Args: { p_org_id: string; p_phone: string; p_name?: string };
    Returns: Json;
  };
  cancel_appointment: {
    Args: { p_org_id: string; p_phone: string; p_name?: string; p_day?: string; p_appointment_id?: string };
    Returns: Json;
  };
  reschedule_appointment: {
    Args: {
      p_org_id: string; p_phone: string; p_new_start: string; p_name?: string; p_day?: string;
      p_appointment_id?: string; p_idempotency_key?: string;
    };
    Returns: Json;
  };
};

export type BookingApiDatabase = Omit<Database, 'public'> & {
  public: Omit<PublicSchema, 'Functions'> & {
    Functions: Omit<GeneratedFunctions, keyof ReceptionistFunctions> & ReceptionistFunctions;
  };
};
