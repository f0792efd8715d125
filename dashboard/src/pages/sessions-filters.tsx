import { useState } from 'react';
import { type DateRange, isValidRange } from '../date-range';
import type { SessionType } from '../generated/graphql';

export interface SessionFilters extends DateRange {
  readonly type: SessionType;
  readonly sessionName: string;
  readonly sessionKey: string;
}

/** Edits apply on submit, so typing a name does not ask Zoom once per keystroke. */
export function SessionsFilters({ value, onApply }: { readonly value: SessionFilters; readonly onApply: (filters: SessionFilters) => void }) {
  const [draft, setDraft] = useState(value);
  const valid = isValidRange(draft);
  const set = <K extends keyof SessionFilters>(key: K, field: SessionFilters[K]) => setDraft({ ...draft, [key]: field });
  return (
    <form
      className="filters"
      onSubmit={(event) => {
        event.preventDefault();
        if (valid) onApply(draft);
      }}
    >
      <label>
        From
        <input type="date" name="from" value={draft.from} onChange={(event) => set('from', event.target.value)} />
      </label>
      <label>
        To
        <input type="date" name="to" value={draft.to} onChange={(event) => set('to', event.target.value)} />
      </label>
      <label>
        Type
        <select name="type" value={draft.type} onChange={(event) => set('type', event.target.value === 'LIVE' ? 'LIVE' : 'PAST')}>
          <option value="PAST">Past</option>
          <option value="LIVE">Live</option>
        </select>
      </label>
      <label>
        Session name
        <input name="sessionName" value={draft.sessionName} onChange={(event) => set('sessionName', event.target.value)} placeholder="exact name" />
      </label>
      <label>
        Session key
        <input name="sessionKey" value={draft.sessionKey} onChange={(event) => set('sessionKey', event.target.value)} placeholder="exact key" />
      </label>
      <button type="submit" disabled={!valid}>
        Show
      </button>
    </form>
  );
}
