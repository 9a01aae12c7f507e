/** A localStorage whose every call throws, as in a browser that blocks storage: code that keeps things there must never crash. */
export function blockedStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  const blocked = (): never => {
    throw new Error('blocked');
  };
  return { getItem: blocked, setItem: blocked, removeItem: blocked };
}
