/**
 * State that key handlers can read before React re-renders. Ink delivers keys to the handler of
 * the last committed render, so with plain useState a fast second key (space then 3 on a
 * flashcard) can see the state from before the first key. `useLive` keeps a ref in step with
 * every set, and handlers read through `get()`.
 */
import { useCallback, useRef, useState } from "react";

export function useLive<T>(initial: T | (() => T)): [T, (v: T | ((prev: T) => T)) => void, () => T] {
  const [state, setState] = useState<T>(initial);
  const ref = useRef<T>(state);
  const set = useCallback((v: T | ((prev: T) => T)) => {
    const next = typeof v === "function" ? (v as (prev: T) => T)(ref.current) : v;
    ref.current = next;
    setState(next);
  }, []);
  const get = useCallback(() => ref.current, []);
  return [state, set, get];
}
