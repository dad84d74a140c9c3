export const fill = (d: number, v: number): number[] => new Array<number>(d).fill(v);
