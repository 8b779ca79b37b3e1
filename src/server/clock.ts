/** Time in Unix seconds. Rules take it from here, never from Date.now(), so tests and test clocks can steer it. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Math.floor(Date.now() / 1000) };
