import { usedShare } from '../budget';

/** A horizontal bar: how much of a budget is used. Plain SVG, no chart library. */
export function Meter({ used, limit, label }: { readonly used: number; readonly limit: number; readonly label: string }) {
  const share = usedShare(used, limit);
  const tone = share >= 1 ? 'spent' : share >= 0.8 ? 'high' : 'ok';
  return (
    <svg className={`meter ${tone}`} viewBox="0 0 100 8" preserveAspectRatio="none" role="img" aria-label={`${label}: ${used} of ${limit} used`}>
      <rect className="track" x="0" y="0" width="100" height="8" rx="2" />
      <rect className="fill" x="0" y="0" width={share * 100} height="8" rx="2" />
    </svg>
  );
}
