import { useEffect, useState } from 'react';

/** Seconds left until `seconds` from when `startedAt` changed; calls `onDone` once at zero. */
export function useCountdown(seconds: number, startedAt: number, onDone: () => void): number {
  const [left, setLeft] = useState(seconds);
  useEffect(() => {
    setLeft(seconds);
    const deadline = Date.now() + seconds * 1000;
    const timer = window.setInterval(() => {
      const remaining = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
      setLeft(remaining);
      if (remaining === 0) {
        window.clearInterval(timer);
        onDone();
      }
    }, 1000);
    return () => window.clearInterval(timer);
    // onDone is read when the countdown ends; a new function identity must not restart it.
  }, [seconds, startedAt]);
  return left;
}
