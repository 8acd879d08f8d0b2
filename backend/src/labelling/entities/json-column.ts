/** JSON kept in a TEXT column (portable across MySQL and SQLite). */
export const jsonColumn = {
  to: (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v)),
  from: (v: string | null) => (v === null || v === undefined ? null : JSON.parse(v)),
};

export const numberColumn = {
  to: (v: number | null) => v,
  from: (v: string | number | null) => (v === null || v === undefined ? null : Number(v)),
};
