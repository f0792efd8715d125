import { createContext, useCallback, useContext, useMemo, useState } from 'react';
import { DEFAULT_TIME_ZONE } from '../format';
import { type TimeZoneChoice, readTimeZoneChoice, saveTimeZoneChoice, timeZoneOf } from '../time-zone';

export interface TimeZoneSetting {
  readonly choice: TimeZoneChoice;
  /** The IANA zone every time on the page is written in. */
  readonly timeZone: string;
  /** The browser's own zone, to name the other choice. */
  readonly browserZone: string | undefined;
  readonly choose: (choice: TimeZoneChoice) => void;
}

export const TimeZoneContext = createContext<TimeZoneSetting>({ choice: 'utc', timeZone: DEFAULT_TIME_ZONE, browserZone: undefined, choose: () => undefined });

/** The zone the page's times are written in. */
export function useTimeZone(): TimeZoneSetting {
  return useContext(TimeZoneContext);
}

/** The app's one copy of the setting, read from and kept in localStorage. */
export function useTimeZoneSetting(): TimeZoneSetting {
  const [choice, setChoice] = useState(() => readTimeZoneChoice(window.localStorage));
  const browserZone = useMemo(() => Intl.DateTimeFormat().resolvedOptions().timeZone, []);
  const choose = useCallback((next: TimeZoneChoice) => {
    saveTimeZoneChoice(window.localStorage, next);
    setChoice(next);
  }, []);
  return useMemo(() => ({ choice, timeZone: timeZoneOf(choice, browserZone), browserZone, choose }), [choice, browserZone, choose]);
}
