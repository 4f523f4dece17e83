// Computes the SQL that takes a database to prisma/schema.prisma, with Prisma's own schema
// engine compiled to wasm (the CLI's native engine cannot be downloaded offline). Used by
// `npm run db:diff` to write new migrations and by a test that fails when migrations drift.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum, type SqlDriverAdapter, type SqlMigrationAwareDriverAdapterFactory, type SqlQueryable } from "@prisma/driver-adapter-utils";
import pg from "pg";

const CHAR_OID = 18; // PostgreSQL's one-byte "char", in the pg_catalog columns the engine reads
const TEXT_OID = 25;

// adapter-pg maps no column type for "char" and throws, while the engine wants it as Character.
// Below the adapter, such columns are reported as text and remembered by their rows array,
// which the adapter passes through; above it, their column type is set to Character.
const charColumnsByRows = new WeakMap<unknown[], number[]>();

function reportCharColumnsAsText(client: pg.PoolClient): void {
  const fix = (value: pg.QueryResult | undefined) => {
    const indexes: number[] = [];
    value?.fields.forEach((field, index) => {
      if (field.dataTypeID === CHAR_OID) {
        field.dataTypeID = TEXT_OID;
        indexes.push(index);
      }
    });
    if (value && indexes.length > 0) charColumnsByRows.set(value.rows, indexes);
    return value;
  };
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const last = args[args.length - 1];
    if (typeof last === "function") {
      // pg.Pool#query hands the client a callback.
      const callback = last as (error: unknown, value?: pg.QueryResult) => void;
      return query(...args.slice(0, -1), (error: unknown, value?: pg.QueryResult) => callback(error, fix(value)));
    }
    const result = query(...args);
    return result instanceof Promise ? result.then(fix) : result;
  };
}

function typeCharColumns<T extends SqlQueryable>(queryable: T): T {
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const index of charColumnsByRows.get(result.rows) ?? []) result.columnTypes[index] = ColumnTypeEnum.Character;
    return result;
  };
  return queryable;
}

function charAwareFactory(base: PrismaPg): SqlMigrationAwareDriverAdapterFactory {
  const wrap = async (adapter: Promise<SqlDriverAdapter>) => {
    const connected = typeCharColumns(await adapter);
    const startTransaction = connected.startTransaction.bind(connected);
    connected.startTransaction = async (isolationLevel) => typeCharColumns(await startTransaction(isolationLevel));
    return connected;
  };
  return {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: () => wrap(base.connect()),
    connectToShadowDb: () => wrap(base.connectToShadowDb()),
  };
}

interface DiffEngine {
  diff(params: unknown): Promise<{ exitCode: number; stdout?: string | null }>;
}
interface EngineModule {
  __wbg_set_wasm(exports: WebAssembly.Exports): void;
  SchemaEngine: { new: (options: unknown, log: (message: string) => void, adapter: object) => Promise<DiffEngine> };
}

async function loadEngineModule(): Promise<EngineModule> {
  // The engine reports a Rust panic's message through this global before it throws.
  const panics = {
    message: "",
    set_message(message: string) {
      this.message = message;
    },
  };
  (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: typeof panics }).PRISMA_WASM_PANIC_REGISTRY ??= panics;
  const require = createRequire(import.meta.url);
  const entry = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const bindings = (await import(pathToFileURL(entry).href)) as EngineModule & Record<string, unknown>;
  const bytes = readFileSync(entry.replace(/\.js$/, ".wasm"));
  const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bindings as unknown as WebAssembly.ModuleImports });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
  return bindings;
}

// Instantiated once per process: the bindings module is shared, and instantiating the wasm a
// second time leaves its glue reading the old memory (the second diff crashed in a panic).
let engineModulePromise: Promise<EngineModule> | null = null;

/** SQL that brings the database at `databaseUrl` to the schema; empty when they agree. */
export async function diffDatabaseToSchema(databaseUrl: string, schemaPath = "prisma/schema.prisma"): Promise<string> {
  const schema = readFileSync(schemaPath, "utf8");
  engineModulePromise ??= loadEngineModule();
  const engineModule = await engineModulePromise;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  pool.on("connect", reportCharColumnsAsText);
  const factory = charAwareFactory(new PrismaPg(pool));
  // The engine calls the factory's methods unbound.
  // The engine expects the error-capturing, Result-returning form of the adapter.
  const adapter = bindMigrationAwareSqlAdapterFactory(factory);
  const engine = await engineModule.SchemaEngine.new({ datamodels: [["schema.prisma", schema]] }, () => {}, adapter);
  const result = await engine.diff({
    from: { tag: "schemaDatasource", files: [{ path: "schema.prisma", content: schema }], configDir: process.cwd() },
    to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: schema }] },
    script: true,
    exitCode: null,
    filters: { externalTables: ["public._agentry_migrations"], externalEnums: [] },
  });
  await pool.end();
  const sql = (result.stdout ?? "").trim();
  return sql === "-- This is an empty migration." ? "" : sql;
}
