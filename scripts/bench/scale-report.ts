// The growth step's figures as rows for the one table printer: p95 per path, empty vs loaded.
import { ms, pctl } from './stats.ts';
import { verdict, type Figure } from './report.ts';
import type { ScaleResults, ScaleSizes } from './scale.ts';

export const SCALE_STACK = 'bench-scale';
export const SCALE_SIZES: ScaleSizes = { bookings: 600, refused: 300, finds: 600 };
export const SCALE_TARGETS = { growth: 1.5, costVsWriteFloor: 1.3 } as const;

export function scaleFigures(r: ScaleResults): Figure[] {
  const figures: Figure[] = [];
  const paths = [
    ['"Anyone" booking (3 practitioners)', 'booking'],
    ['Refused booking with alternatives', 'alternatives'],
    ['find_appointments (3 upcoming)', 'find'],
    ['Floor: lead upsert + appointment insert', 'floor'],
  ] as const;
  for (const [label, key] of paths) {
    const ratio = r.loaded[key].p95 / r.empty[key].p95;
    figures.push({ label: `${label}: empty`, value: pctl(r.empty[key]) });
    figures.push({
      label: `${label}: loaded`,
      value: `${pctl(r.loaded[key])}; p95 ×${ratio.toFixed(2)} of empty`,
      target: key === 'floor' ? '' : `≤ ${SCALE_TARGETS.growth}×`,
      verdict: key === 'floor' ? undefined : verdict(ratio <= SCALE_TARGETS.growth),
    });
  }
  for (const phase of ['empty', 'loaded'] as const) {
    const p = r[phase];
    const ratio = p.booking.p50 / p.floor.p50;
    figures.push({
      label: `Booking vs write floor, ${phase} (p50)`,
      value: `${ms(p.booking.p50)} / ${ms(p.floor.p50)} ms = ${ratio.toFixed(2)}× (p95 ${(p.booking.p95 / p.floor.p95).toFixed(2)}×)`,
      target: `≤ ${SCALE_TARGETS.costVsWriteFloor}×`,
      verdict: verdict(ratio <= SCALE_TARGETS.costVsWriteFloor),
    });
  }
  figures.push({
    label: 'Load built (set-based SQL, one transaction + vacuum analyze)',
    value: `${r.rows.clinics} clinics, ${r.rows.practitioners} practitioners, ${r.rows.leads} leads, ${r.rows.appointments} appointments in ${r.buildSeconds.toFixed(0)} s`,
  });
  return figures;
}
