import { ISignal } from '@lumino/signaling';
import * as React from 'react';

/**
 * A value read with `get` and read again each time `signal` fires; the component
 * re-renders only when the value changes (by identity).
 */
export function useSignalValue<T>(
  signal: ISignal<unknown, unknown>,
  get: () => T
): T {
  const [value, setValue] = React.useState<{ v: T }>(() => ({ v: get() }));
  const getter = React.useRef(get);
  getter.current = get;
  React.useEffect(() => {
    const update = () =>
      setValue(old => {
        const v = getter.current();
        return Object.is(old.v, v) ? old : { v };
      });
    signal.connect(update);
    update();
    return () => {
      signal.disconnect(update);
    };
  }, [signal]);
  return value.v;
}
