// Pieces of a fake BookingDatabase for unit tests of the handler and the tools.
import type { BookingDatabase } from '../../supabase/functions/_shared/booking-db.ts';

/** The RPCs of find / cancel / reschedule, for fakes of tests that never call them. */
export const RECEPTIONIST_RPCS_UNUSED: Pick<BookingDatabase, 'findAppointments' | 'cancelAppointment' | 'rescheduleAppointment'> = {
  findAppointments: async () => { throw new Error('findAppointments is not expected in this test'); },
  cancelAppointment: async () => { throw new Error('cancelAppointment is not expected in this test'); },
  rescheduleAppointment: async () => { throw new Error('rescheduleAppointment is not expected in this test'); },
};

/** What an OrgContext of a clinic without practitioners or a catalogue adds. */
export const ONE_CALENDAR = { practitioners: [], services: [] } as const satisfies { practitioners: []; services: [] };
