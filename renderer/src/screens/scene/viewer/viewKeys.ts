// The keys that enlarge a view of the grid (ego views first): the digits 1–9 and 0 reach views 1–10, and "." and
// "," step to the next and previous view, so every view of a scene of any size is reachable from the keyboard.

/** The digit keys, in view order: view n (1-based) is the n-th; 0 is view 10. */
export const viewDigitKeys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'] as const;

/** The digit that enlarges view `number` (1-based), or null for views past the tenth. */
export function viewKey(number: number): string | null {
  return viewDigitKeys[number - 1] ?? null;
}

/** The view (1-based) a digit key enlarges, or null for any other key. */
export function viewNumberOfKey(key: string): number | null {
  const index = viewDigitKeys.indexOf(key as (typeof viewDigitKeys)[number]);
  return index < 0 ? null : index + 1;
}

/** The index of the view after (direction 1) or before (−1) `current` among `count`, wrapping round; the first or last when none is enlarged. */
export function steppedView(count: number, current: number | null, direction: 1 | -1): number | null {
  if (count <= 0) return null;
  if (current === null || current < 0) return direction === 1 ? 0 : count - 1;
  return (current + direction + count) % count;
}
