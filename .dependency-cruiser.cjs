/**
 * The layers' forbidden directions (issue 20), checked by `npm run lint:deps`
 * (part of `npm test`). docs/ARCHITECTURE.md "Layers and the rules that check them"
 * says the same in prose; ../shared/architecture/parts.json draws the parts.
 *
 * Paths are relative to the repository root; workspace packages (`@onsafe/*`)
 * resolve to their folders (`schema/src/…`), npm packages to `node_modules/…`.
 * A rule's `comment` is what a failing run prints next to the import.
 */

// --- the parts of ../shared/architecture/parts.json -------------------------
const Schema = "^schema/";
const MatrixBasics = "^matrix-basics/";
const SqliteStore = "^sqlite-store/";
const Server = "^chat-server/src/(app|main|server|config)\\.ts$";
const ServerHttp = "^chat-server/src/http/";
const ServerApi = "^chat-server/src/api/";
const ServerServices = "^chat-server/src/services/";
const ServerStorage = "^chat-server/src/storage/";
const ChatServer = "^chat-server/";
const BotsFaces = "^bots/src/(triage-bot|scheduling-bot|referral-bot)/";
const BotsDomain = "^bots/src/(triage|queue|crisis|scheduling|referrals|partners|retention)/";
const BotsOps = "^bots/src/ops-api/";
const BotsRuntime = "^bots/src/runtime/";
const BotsStorage = "^bots/src/storage/";
const BotsCli = "^bots/src/cli/";
const Bots = "^bots/";
const Client = "^chat-client/";
const ClientVictim = "^chat-client/src/victim/";
const ClientConsole = "^chat-client/src/console/";
/** The client's entry (main.tsx, app.tsx) picks the victim app or the console, so it imports both. */
const ClientEntry = "^chat-client/src/(main|app)\\.tsx$";

// --- npm packages -------------------------------------------------------------
const npm = (...names) => `(^|/)node_modules/(@types/)?(${names.join("|")})/`;
const Kysely = npm("kysely");
const BetterSqlite = npm("better-sqlite3");
const MatrixSdk = npm("matrix-js-sdk");
const Hono = npm("hono", "@hono/node-server");

/** Tests and their fixtures may cross walls the code may not (bots' tests start our homeserver). */
const Tests = [
  "(^|/)test/",
  "^test-support/",
  "^bench/",
  "\\.test\\.tsx?$",
  "(^|/)test-(fixture|helpers)\\.ts$",
];

/**
 * One rule per "never" line of ../shared/architecture/parts.json, named after it.
 * @param {string} name
 * @param {string} from
 * @param {string} to
 * @param {string} why
 */
const never = (name, from, to, why) => ({
  name: `never:${name}`,
  comment: `${why} (parts.json never ${name})`,
  severity: "error",
  from: { path: from, pathNot: Tests },
  to: { path: to },
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    // The 17 "never" lines of ../shared/architecture/parts.json.
    never("BotsFaces→ServerServices", BotsFaces, ServerServices, "bots speak only the Matrix API"),
    never("BotsDomain→ServerStorage", BotsDomain, ServerStorage, "bots never touch the homeserver DB"),
    never("BotsRuntime→Server", BotsRuntime, Server, "bots run against any homeserver"),
    never("Client→ServerServices", Client, ServerServices, "the client is a Matrix client"),
    never("Client→BotsDomain", Client, BotsDomain, "client reaches bots via rooms, ops API"),
    never("Server→BotsDomain", Server, BotsDomain, "the homeserver knows no bot code"),
    never("Schema→Server", Schema, Server, "schema depends on nothing of ours"),
    never("Schema→BotsDomain", Schema, BotsDomain, "schema depends on nothing of ours"),
    never("Schema→Client", Schema, Client, "schema depends on nothing of ours"),
    never("ServerStorage→ServerHttp", ServerStorage, ServerHttp, "storage knows no HTTP"),
    never("ServerServices→ServerHttp", ServerServices, ServerHttp, "services know no HTTP"),
    never("ServerServices→ServerApi", ServerServices, ServerApi, "services know no handlers"),
    never("BotsDomain→BotsOps", BotsDomain, BotsOps, "rules know no HTTP"),
    never("BotsDomain→BotsFaces", BotsDomain, BotsFaces, "rules know no Matrix rooms"),
    never("BotsRuntime→BotsDomain", BotsRuntime, BotsDomain, "runtime knows no rules"),
    never("BotsRuntime→BotsCli", BotsRuntime, BotsCli, "runtime knows no CLI"),
    never("BotsStorage→BotsRuntime", BotsStorage, BotsRuntime, "stores know no SDK"),

    // Issue 20's inner walls, beyond the picture.
    {
      name: "server-storage-knows-no-handlers-or-rules",
      comment: "chat-server storage/ holds queries only: it imports neither api/ nor services/ (services call storage, not the reverse)",
      severity: "error",
      from: { path: ServerStorage, pathNot: Tests },
      to: { path: [ServerApi, ServerServices] },
    },
    {
      name: "server-api-calls-services-not-storage",
      comment: "chat-server api/ handlers call a service; queries are the services' business (api/ never imports storage/)",
      severity: "error",
      from: { path: ServerApi, pathNot: Tests },
      to: { path: ServerStorage },
    },
    {
      name: "sql-only-in-storage",
      comment:
        "kysely and better-sqlite3 are used only by chat-server/src/storage/, bots/src/storage/, sqlite-store/ and schema/ (migrations); elsewhere a type-only import (`import type`) of a table type is fine",
      severity: "error",
      from: {
        path: "^(chat-server|bots|chat-client|matrix-basics)/",
        pathNot: [
          ServerStorage,
          BotsStorage,
          // The SDK's crypto store: fake-indexeddb kept in its own SQLite file, no bots table (see ARCHITECTURE.md).
          "^bots/src/runtime/persistent-indexeddb\\.ts$",
          ...Tests,
        ],
      },
      to: { path: [Kysely, BetterSqlite], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "bots-rules-know-no-cli",
      comment: "bots' rules (queue/, triage/, scheduling/, referrals/, partners/, retention/) know no CLI",
      severity: "error",
      from: { path: BotsDomain, pathNot: Tests },
      to: { path: BotsCli },
    },
    {
      name: "bots-storage-knows-only-sql",
      comment: "bots' storage/ knows no rules, no ops API and no SDK (matrix-js-sdk)",
      severity: "error",
      from: { path: BotsStorage, pathNot: Tests },
      to: { path: [BotsDomain, BotsOps, BotsFaces, BotsCli, MatrixSdk] },
    },
    {
      name: "bots-runtime-knows-no-ops-api-or-faces",
      comment: "bots' runtime/ (SDK clients, crypto store, event feed) is used by the bot faces and knows neither them nor the ops API",
      severity: "error",
      from: { path: BotsRuntime, pathNot: Tests },
      to: { path: [BotsOps, BotsFaces] },
    },
    {
      name: "matrix-basics-is-the-ground-floor",
      comment: "@onsafe/matrix-basics imports nothing of ours but @onsafe/schema, and no Hono, Kysely or matrix-js-sdk",
      severity: "error",
      from: { path: MatrixBasics, pathNot: Tests },
      to: {
        path: ["^(chat-server|bots|chat-client|sqlite-store|test-support)/", Hono, Kysely, BetterSqlite, MatrixSdk],
      },
    },
    {
      name: "sqlite-store-knows-only-schema",
      comment: "@onsafe/sqlite-store opens and migrates SQLite for both services: it imports nothing of ours but @onsafe/schema",
      severity: "error",
      from: { path: SqliteStore, pathNot: Tests },
      to: { path: ["^(chat-server|bots|chat-client|matrix-basics|test-support)/"] },
    },
    {
      name: "schema-depends-on-nothing-of-ours",
      comment: "@onsafe/schema imports no other part of onsafe",
      severity: "error",
      from: { path: Schema, pathNot: Tests },
      to: { path: ["^(chat-server|bots|chat-client|sqlite-store|matrix-basics|test-support)/"] },
    },
    {
      name: "client-is-a-matrix-client",
      comment: "chat-client talks to the homeserver and the bots over HTTP only: it imports no chat-server or bots code",
      severity: "error",
      from: { path: Client, pathNot: Tests },
      // bots/content/ is data, not code: the landing page bundles the crisis lines the triage bot also reads.
      to: { path: [ChatServer, Bots], pathNot: "^bots/content/[^/]+\\.json$" },
    },
    {
      name: "bots-run-against-any-homeserver",
      comment: "bots/src imports no chat-server code (bots' tests may start it through chat-server/test/harness.ts)",
      severity: "error",
      from: { path: Bots, pathNot: Tests },
      to: { path: ChatServer },
    },
    {
      name: "homeserver-knows-no-bots-or-client",
      comment: "chat-server imports no bots or chat-client code (it serves the built app as files)",
      severity: "error",
      from: { path: ChatServer, pathNot: Tests },
      to: { path: [Bots, Client] },
    },
    {
      name: "client-victim-knows-no-console",
      comment: "the victim app (chat-client/src/victim/) does not import the console's code",
      severity: "error",
      from: { path: ClientVictim },
      to: { path: ClientConsole },
    },
    {
      name: "client-console-knows-no-victim",
      comment: "the console (chat-client/src/console/) does not import the victim app's screens",
      severity: "error",
      from: { path: ClientConsole },
      to: { path: ClientVictim },
    },
    {
      name: "client-shared-knows-no-app",
      comment:
        "the client's shared pieces (session, crypto store, strings, UI parts) import neither the victim app nor the console; only the entry (main.tsx, app.tsx) picks one",
      severity: "error",
      from: { path: "^chat-client/src/", pathNot: [ClientVictim, ClientConsole, ClientEntry] },
      to: { path: [ClientVictim, ClientConsole] },
    },
    {
      name: "client-matrix-knows-no-ui",
      comment: "the client's shared floors go ui/ → matrix/ → words/: matrix/ (Matrix pieces, no JSX) imports no ui/",
      severity: "error",
      from: { path: "^chat-client/src/matrix/" },
      to: { path: "^chat-client/src/ui/" },
    },
    {
      name: "client-words-are-the-floor",
      comment: "the client's shared floors go ui/ → matrix/ → words/: words/ (strings, i18n, content) imports neither ui/ nor matrix/",
      severity: "error",
      from: { path: "^chat-client/src/words/" },
      to: { path: ["^chat-client/src/ui/", "^chat-client/src/matrix/"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // Type-only imports count too (services may not even name an http/ type), and
    // are told apart from value imports for the kysely rule.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".d.ts", ".js", ".mjs", ".cjs"],
      mainFields: ["module", "main", "types", "typings"],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
    cache: false,
  },
};
