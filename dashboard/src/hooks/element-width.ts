import { useEffect, useState } from 'react';

/**
 * The rendered width of an element in CSS pixels, following resizes: a chart drawn at its real size
 * keeps its labels at their font size on a phone instead of shrinking them with the whole picture.
 */
export function useElementWidth(element: Element | null): number | undefined {
  const [width, setWidth] = useState<number | undefined>();
  useEffect(() => {
    if (!element) return undefined;
    setWidth(element.getBoundingClientRect().width);
    const observer = new ResizeObserver((entries) => {
      const last = entries[entries.length - 1];
      if (last) setWidth(last.contentRect.width);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  return width;
}
