// The slice of node-postgres (pg 8) that src/store/postgres.ts uses; pg ships no types and
// @types/pg is not installed.
declare module 'pg' {
  export interface QueryResult<R> {
    rows: R[];
    rowCount: number | null;
  }

  export interface PoolConfig {
    connectionString?: string;
    max?: number;
    connectionTimeoutMillis?: number;
    idleTimeoutMillis?: number;
    statement_timeout?: number;
    query_timeout?: number;
    lock_timeout?: number;
    idle_in_transaction_session_timeout?: number;
    options?: string;
    application_name?: string;
    allowExitOnIdle?: boolean;
  }

  export interface PoolClient {
    query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
    release(destroy?: boolean | Error): void;
    /** Quote a string as an SQL literal (for a simple query with several statements, which takes no parameters). */
    escapeLiteral(value: string): string;
  }

  /** A query sent as a named prepared statement (parsed once per connection). */
  export interface QueryConfig {
    name: string;
    text: string;
    values?: unknown[];
  }

  export class Pool {
    constructor(config?: PoolConfig);
    query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
    query<R = Record<string, unknown>>(config: QueryConfig): Promise<QueryResult<R>>;
    connect(): Promise<PoolClient>;
    end(): Promise<void>;
    on(event: 'error', listener: (err: Error) => void): this;
  }

  const pg: { Pool: typeof Pool };
  export default pg;
}
