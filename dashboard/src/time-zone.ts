import { DEFAULT_TIME_ZONE } from './format';

/** Where the person's choice is kept, so that it survives a reload and a new tab. */
export const TIME_ZONE_STORAGE_KEY = 'zoomgw.dashboard.timeZone';

/** UTC (Zoom's own times, the same for everyone reading the page) or the browser's zone. */
export type TimeZoneChoice = 'utc' | 'local';

/** The part of the browser's Storage (localStorage) the choice needs. */
export interface ChoiceStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** Anything stored that is not a choice (an old value, a hand edit) reads as the default. */
export function readTimeZoneChoice(storage: Pick<ChoiceStorage, 'getItem'> | undefined): TimeZoneChoice {
  try {
    return storage?.getItem(TIME_ZONE_STORAGE_KEY) === 'local' ? 'local' : 'utc';
  } catch {
    // Storage refused (privacy mode, a sandboxed frame): the default still works.
    return 'utc';
  }
}

export function saveTimeZoneChoice(storage: Pick<ChoiceStorage, 'setItem'> | undefined, choice: TimeZoneChoice): void {
  try {
    storage?.setItem(TIME_ZONE_STORAGE_KEY, choice);
  } catch {
    // Not kept, still applied for this page.
  }
}

/** The IANA zone of a choice; `browserZone` is what the browser resolves its own zone to. */
export function timeZoneOf(choice: TimeZoneChoice, browserZone: string | undefined): string {
  return choice === 'local' && browserZone ? browserZone : DEFAULT_TIME_ZONE;
}
