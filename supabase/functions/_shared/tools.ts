// The tools this endpoint serves, by the name Vapi calls them: one entry each, one RPC each.
// vapi/tools.json defines the same five (tests/unit/vapi-tools.test.ts checks both agree).
import { AVAILABILITY_TOOL_NAME, BOOK_TOOL_NAME } from './booking-args.ts';
import { CANCEL_TOOL_NAME, FIND_TOOL_NAME, RESCHEDULE_TOOL_NAME } from './receptionist-args.ts';
import { runAvailabilityTool } from './tool-availability.ts';
import { runBookTool } from './tool-book.ts';
import { runCancelTool } from './tool-cancel.ts';
import { runFindTool } from './tool-find.ts';
import { runRescheduleTool } from './tool-reschedule.ts';
import type { BookingDatabase } from './booking-db.ts';
import type { ToolInput } from './tool-input.ts';
import type { ToolOutcome } from './tool-result.ts';

export type ToolRunner = (db: BookingDatabase, input: ToolInput) => Promise<ToolOutcome>;

export const TOOLS: ReadonlyMap<string, ToolRunner> = new Map<string, ToolRunner>([
  [BOOK_TOOL_NAME, runBookTool],
  [AVAILABILITY_TOOL_NAME, runAvailabilityTool],
  [FIND_TOOL_NAME, runFindTool],
  [CANCEL_TOOL_NAME, runCancelTool],
  [RESCHEDULE_TOOL_NAME, runRescheduleTool],
]);
