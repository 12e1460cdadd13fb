/**
 * Hot queries compiled once. Kysely builds and compiles a query on every call,
 * which costs several times what SQLite itself spends on the small indexed
 * reads and single-row inserts of a `PUT send` or a token lookup
 * (docs/BENCHMARKS.md, write throughput). A prepared query is built by Kysely
 * once, on its first call, with stand-ins for its arguments; later calls bind
 * their values in the stand-ins' places to the same SQLite statement.
 *
 * Arguments may only be used as values (compared, inserted, set), never to
 * choose tables, columns or branches: the query is built once. An argument
 * that is an object stands for its fields, and every call must pass the same
 * fields as the first call did.
 */
import type { Compilable } from "kysely";
import type SQLite from "better-sqlite3";
import { closedError, type Store } from "./database.ts";

type Primitive = string | number | bigint | null;
type Argument = Primitive | object;

/** Where a parameter's value comes from: argument `index`, or its field `field`. */
class Slot {
  constructor(readonly index: number, readonly field?: string) {}
}

export interface Prepared<A extends Argument[], R> {
  all(...args: A): R[];
  first(...args: A): R | undefined;
  run(...args: A): SQLite.RunResult;
}

export function prepared<A extends Argument[], R>(store: Store, build: (q: Store["q"], ...args: A) => Compilable<R>): Prepared<A, R> {
  let statement: SQLite.Statement | undefined;
  let parameters: readonly unknown[] = [];
  let fieldCounts: (number | undefined)[] = [];

  const bind = (args: A): unknown[] => {
    if (!store.sqlite.open) throw closedError();
    if (!statement) {
      const stands = args.map((arg, i) => isRecord(arg) ? Object.fromEntries(Object.keys(arg).map((f) => [f, new Slot(i, f)])) : new Slot(i));
      const compiled = build(store.q, ...(stands as A)).compile();
      const used = new Set(compiled.parameters.filter((p) => p instanceof Slot).map((s) => `${s.index}.${s.field}`));
      for (const stand of stands) {
        for (const slot of stand instanceof Slot ? [stand] : Object.values(stand)) {
          if (!used.has(`${slot.index}.${slot.field}`)) throw new Error(`prepared query: argument ${slot.index}${slot.field ? `.${slot.field}` : ""} is not used as a value`);
        }
      }
      statement = store.sqlite.prepare(compiled.sql);
      parameters = compiled.parameters;
      fieldCounts = args.map((arg) => isRecord(arg) ? Object.keys(arg).length : undefined);
    }
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (fieldCounts[i] !== undefined && (!isRecord(arg) || Object.keys(arg).length !== fieldCounts[i])) {
        throw new Error(`prepared query: argument ${i} must have the fields of the first call`);
      }
    }
    return parameters.map((p) => p instanceof Slot ? (p.field === undefined ? args[p.index] : (args[p.index] as Record<string, Primitive>)[p.field]) : p);
  };

  return {
    all: (...args) => { const values = bind(args); return statement!.all(...values) as R[]; },
    first: (...args) => { const values = bind(args); return statement!.get(...values) as R | undefined; },
    run: (...args) => { const values = bind(args); return statement!.run(...values); },
  };
}

function isRecord(value: unknown): value is Record<string, Primitive> {
  return typeof value === "object" && value !== null;
}
