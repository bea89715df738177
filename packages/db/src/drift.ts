/**
 * Drift check: does the migrated database look like prisma/schema.prisma says it should?
 *
 * `prisma migrate diff` needs a native schema engine these machines cannot download (DESIGN.md §8), so this file
 * reads the subset of the Prisma schema language the project uses, derives the tables Prisma Migrate would create
 * from it, reads the same facts from a live Postgres's catalog and lists every difference. Whatever the reader
 * does not understand is an error naming the line: an attribute skipped in silence would be drift nobody checks.
 */
import type pg from 'pg';

// ---------------------------------------------------------------------------------------------------------------
// The tables, as both sides describe them
// ---------------------------------------------------------------------------------------------------------------

export type ReferentialAction = 'CASCADE' | 'RESTRICT' | 'NO ACTION' | 'SET NULL' | 'SET DEFAULT';

export interface DbColumn {
  name: string;
  /** As Postgres's `format_type` spells it: `text`, `timestamp(3) with time zone`, `text[]` … */
  type: string;
  nullable: boolean;
  /** Normalised (see `normalizeDefault`) so both sides compare as strings; null when there is none. */
  default: string | null;
}

export interface DbForeignKey {
  columns: string[];
  table: string;
  references: string[];
  onDelete: ReferentialAction;
  onUpdate: ReferentialAction;
}

export interface DbTable {
  name: string;
  columns: DbColumn[];
  /** Empty when the table has none. */
  primaryKey: string[];
  /** Column lists of unique indexes and unique constraints (Postgres backs both with a unique index). */
  uniques: string[][];
  /** Column lists of the other btree indexes; a descending column reads `name DESC`, an expression as its SQL. */
  indexes: string[][];
  /** Indexes of another access method (`@@index([…], type: Gin)`): full-text search vectors, arrays, jsonb. */
  methodIndexes: DbMethodIndex[];
  foreignKeys: DbForeignKey[];
  /** Definitions of partial or INCLUDE indexes: this reader accepts no schema.prisma that declares one. */
  otherIndexes: string[];
}

export interface DbMethodIndex {
  /** As `pg_am` names it: `gin`, `gist`, `hash`, `brin`, `spgist`. */
  method: string;
  columns: string[];
}

export interface DbSchema {
  tables: DbTable[];
}

// ---------------------------------------------------------------------------------------------------------------
// Reading schema.prisma: syntax
// ---------------------------------------------------------------------------------------------------------------

export type PrismaValue =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: string }
  | { kind: 'name'; value: string }
  | { kind: 'call'; name: string; args: PrismaArgument[] }
  | { kind: 'list'; items: PrismaValue[] };

/** `fields: [a]` has the name `fields`; a positional argument has none. */
export interface PrismaArgument {
  name: string | null;
  value: PrismaValue;
}

/** `@id`, `@db.Timestamptz(3)`, `@@index([a, b])`: the name without its `@`/`@@`. */
export interface PrismaAttribute {
  name: string;
  args: PrismaArgument[];
  line: number;
}

export interface PrismaField {
  name: string;
  /** `Unsupported` for `Unsupported("tsvector")`, whose database type is then in `unsupported`. */
  type: string;
  unsupported: string | null;
  list: boolean;
  optional: boolean;
  attributes: PrismaAttribute[];
  line: number;
}

export interface PrismaModel {
  name: string;
  fields: PrismaField[];
  attributes: PrismaAttribute[];
  line: number;
}

function failAt(lines: readonly string[], line: number, problem: string): never {
  throw new Error(`schema.prisma line ${line}: ${problem}\n    ${(lines[line - 1] ?? '').trim()}`);
}

/** Drops a `//` or `///` comment, but not a `//` inside a string such as `@default("https://…")`. */
function stripComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inString && c === '\\') i++;
    else if (c === '"') inString = !inString;
    else if (!inString && c === '/' && line[i + 1] === '/') return line.slice(0, i);
  }
  return line;
}

/** Reads the tokens of one line: names, strings, numbers, lists, calls and attributes. */
class Cursor {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly fail: (problem: string) => never,
  ) {}

  done(): boolean {
    this.space();
    return this.pos >= this.text.length;
  }

  private space(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos] ?? '')) this.pos++;
  }

  private peek(): string {
    this.space();
    return this.text[this.pos] ?? '';
  }

  private take(token: string): boolean {
    this.space();
    if (!this.text.startsWith(token, this.pos)) return false;
    this.pos += token.length;
    return true;
  }

  private expect(token: string): void {
    if (!this.take(token)) this.fail(`expected "${token}" at column ${this.pos + 1}`);
  }

  private name(): string {
    this.space();
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos));
    if (!match) return this.fail(`expected a name at column ${this.pos + 1}`);
    this.pos += match[0].length;
    return match[0];
  }

  private string(): string {
    this.expect('"');
    let value = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos++];
      if (c === '"') return value;
      if (c === '\\') {
        const escaped = this.text[this.pos++] ?? '';
        value += escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped;
      } else {
        value += c;
      }
    }
    return this.fail('unterminated string');
  }

  private value(): PrismaValue {
    const next = this.peek();
    if (next === '"') return { kind: 'string', value: this.string() };
    if (next === '[') {
      this.expect('[');
      const items: PrismaValue[] = [];
      if (this.take(']')) return { kind: 'list', items };
      do items.push(this.value());
      while (this.take(','));
      this.expect(']');
      return { kind: 'list', items };
    }
    const number = /^-?\d+(\.\d+)?/.exec(this.text.slice(this.pos));
    if (number) {
      this.pos += number[0].length;
      return { kind: 'number', value: number[0] };
    }
    const name = this.name();
    if (this.peek() === '(') return { kind: 'call', name, args: this.args() };
    return { kind: 'name', value: name };
  }

  private args(): PrismaArgument[] {
    this.expect('(');
    const args: PrismaArgument[] = [];
    if (this.take(')')) return args;
    do {
      const start = this.pos;
      let name: string | null = null;
      if (/[A-Za-z_]/.test(this.peek())) {
        const word = this.name();
        if (this.take(':')) name = word;
        else this.pos = start;
      }
      args.push({ name, value: this.value() });
    } while (this.take(','));
    this.expect(')');
    return args;
  }

  attribute(prefix: '@' | '@@', line: number): PrismaAttribute {
    this.expect(prefix);
    let name = this.name();
    if (this.text[this.pos] === '.') {
      this.pos++;
      name += `.${this.name()}`;
    }
    const args = this.peek() === '(' ? this.args() : [];
    return { name, args, line };
  }

  field(line: number): PrismaField {
    const name = this.name();
    const type = this.name();
    let unsupported: string | null = null;
    if (type === 'Unsupported') {
      const [argument, ...rest] = this.args();
      if (argument?.name !== null || argument.value.kind !== 'string' || rest.length > 0) this.fail('Unsupported takes one string, the database type');
      unsupported = argument.value.value;
    }
    let list = false;
    if (this.take('[')) {
      this.expect(']');
      list = true;
    }
    const optional = !list && this.take('?');
    const attributes: PrismaAttribute[] = [];
    while (!this.done()) attributes.push(this.attribute('@', line));
    return { name, type, unsupported, list, optional, attributes, line };
  }
}

/**
 * The `model` blocks of a schema, syntax only. `generator` and `datasource` blocks are read past (only a
 * non-PostgreSQL provider is refused); any other block or an unreadable line throws an error naming the line.
 */
export function parsePrismaSchema(schemaText: string): PrismaModel[] {
  const lines = schemaText.split(/\r?\n/);
  const models: PrismaModel[] = [];
  let block: { kind: 'model'; model: PrismaModel } | { kind: 'settings'; keyword: string; line: number } | null = null;

  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const fail: (problem: string) => never = (problem) => failAt(lines, line, problem);
    const text = stripComment(lines[i] ?? '').trim();
    if (text === '') continue;

    if (block === null) {
      const header = /^(\w+)\s+(\w+)\s*\{$/.exec(text);
      if (!header) fail('expected the start of a block such as "model Name {"');
      const [, keyword = '', name = ''] = header;
      if (keyword === 'model') block = { kind: 'model', model: { name, fields: [], attributes: [], line } };
      else if (keyword === 'generator' || keyword === 'datasource') block = { kind: 'settings', keyword, line };
      else fail(`"${keyword}" blocks are not read by the drift check (it reads model, generator and datasource)`);
      continue;
    }

    if (text === '}') {
      if (block.kind === 'model') models.push(block.model);
      block = null;
      continue;
    }

    if (block.kind === 'settings') {
      const setting = /^(\w+)\s*=\s*(.+)$/.exec(text);
      if (!setting) fail('expected "key = value"');
      // Every type mapping below is PostgreSQL's.
      if (block.keyword === 'datasource' && setting[1] === 'provider' && setting[2] !== '"postgresql"') {
        fail('the drift check knows PostgreSQL only');
      }
      continue;
    }

    const cursor = new Cursor(text, fail);
    if (text.startsWith('@@')) {
      block.model.attributes.push(cursor.attribute('@@', line));
      if (!cursor.done()) fail('expected one model attribute per line');
    } else {
      block.model.fields.push(cursor.field(line));
    }
  }

  if (block !== null) failAt(lines, block.kind === 'model' ? block.model.line : block.line, 'this block is never closed');
  return models;
}

// ---------------------------------------------------------------------------------------------------------------
// Reading schema.prisma: what Prisma Migrate would create
// ---------------------------------------------------------------------------------------------------------------

const SCALAR_TYPES = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Boolean: 'boolean',
  // Prisma's default for DateTime on PostgreSQL is timestamp(3), without time zone.
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
} as const;

type Scalar = keyof typeof SCALAR_TYPES;

function isScalar(type: string): type is Scalar {
  return Object.hasOwn(SCALAR_TYPES, type);
}

/** `@db.X(args)`: which Prisma type it may annotate, how many numeric arguments it takes, the type it makes. */
const NATIVE_TYPES: Record<string, { scalar: Scalar; arity: [number, number]; sql: (args: number[]) => string }> = {
  Text: { scalar: 'String', arity: [0, 0], sql: () => 'text' },
  VarChar: { scalar: 'String', arity: [0, 1], sql: ([n]) => (n === undefined ? 'character varying' : `character varying(${n})`) },
  Char: { scalar: 'String', arity: [1, 1], sql: ([n]) => `character(${n})` },
  Uuid: { scalar: 'String', arity: [0, 0], sql: () => 'uuid' },
  Integer: { scalar: 'Int', arity: [0, 0], sql: () => 'integer' },
  SmallInt: { scalar: 'Int', arity: [0, 0], sql: () => 'smallint' },
  BigInt: { scalar: 'BigInt', arity: [0, 0], sql: () => 'bigint' },
  Timestamptz: {
    scalar: 'DateTime',
    arity: [0, 1],
    sql: ([p]) => (p === undefined ? 'timestamp with time zone' : `timestamp(${p}) with time zone`),
  },
  Timestamp: {
    scalar: 'DateTime',
    arity: [0, 1],
    sql: ([p]) => (p === undefined ? 'timestamp without time zone' : `timestamp(${p}) without time zone`),
  },
  Date: { scalar: 'DateTime', arity: [0, 0], sql: () => 'date' },
  JsonB: { scalar: 'Json', arity: [0, 0], sql: () => 'jsonb' },
  Json: { scalar: 'Json', arity: [0, 0], sql: () => 'json' },
  DoublePrecision: { scalar: 'Float', arity: [0, 0], sql: () => 'double precision' },
  Real: { scalar: 'Float', arity: [0, 0], sql: () => 'real' },
  Decimal: { scalar: 'Decimal', arity: [2, 2], sql: ([p, s]) => `numeric(${p},${s})` },
};

const PRISMA_ACTIONS: Record<string, ReferentialAction> = {
  Cascade: 'CASCADE',
  Restrict: 'RESTRICT',
  NoAction: 'NO ACTION',
  SetNull: 'SET NULL',
  SetDefault: 'SET DEFAULT',
};

/** `@default(uuid())` and friends are filled in by Prisma Client; the column has no database default. */
const CLIENT_GENERATED_DEFAULTS = new Set(['uuid', 'cuid', 'nanoid', 'ulid']);

type Fail = (line: number, problem: string) => never;

function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

/** jsonb reorders keys and respaces: compare JSON defaults by value. Null when the text is not JSON. */
function canonicalJson(text: string): string | null {
  try {
    return JSON.stringify(sortKeys(JSON.parse(text)));
  } catch {
    return null;
  }
}

/** The only argument of an attribute, which must be positional. */
function soleArgument(attribute: PrismaAttribute, fail: Fail): PrismaValue {
  const [first, ...rest] = attribute.args;
  if (!first || first.name !== null || rest.length > 0) {
    return fail(attribute.line, `@${attribute.name} takes exactly one unnamed argument here`);
  }
  return first.value;
}

function noArguments(attribute: PrismaAttribute, fail: Fail): void {
  if (attribute.args.length > 0) fail(attribute.line, `arguments of @${attribute.name} are not read by the drift check`);
}

function stringValue(value: PrismaValue, line: number, fail: Fail): string {
  if (value.kind !== 'string') return fail(line, 'expected a string');
  return value.value;
}

function nameList(value: PrismaValue, line: number, fail: Fail): string[] {
  if (value.kind !== 'list') return fail(line, 'expected a list of field names such as [a, b]');
  return value.items.map((item) => {
    if (item.kind !== 'name') return fail(line, 'expected a plain field name (sort orders and lengths are not read)');
    return item.value;
  });
}

/** The database default Prisma Migrate writes for `@default(value)`, normalised like `normalizeDefault`. */
function expectedDefault(field: PrismaField, scalar: Scalar, attribute: PrismaAttribute, fail: Fail): string | null {
  const value = soleArgument(attribute, fail);
  const unsupported = (): never => fail(attribute.line, `@default on a ${scalar}${field.list ? '[]' : ''} field is not read by the drift check`);
  if (field.list) {
    if (value.kind === 'list' && value.items.length === 0) return 'ARRAY[]';
    return unsupported();
  }
  switch (value.kind) {
    case 'call':
      if (value.args.length > 0 && !CLIENT_GENERATED_DEFAULTS.has(value.name)) return unsupported();
      if (value.name === 'autoincrement' && (scalar === 'Int' || scalar === 'BigInt')) return 'autoincrement()';
      if (value.name === 'now' && scalar === 'DateTime') return 'now()';
      if (CLIENT_GENERATED_DEFAULTS.has(value.name) && scalar === 'String') return null;
      return unsupported();
    case 'string':
      if (scalar === 'String') return quoteLiteral(value.value);
      if (scalar === 'Json') {
        const json = canonicalJson(value.value);
        return json === null ? fail(attribute.line, 'the Json default is not valid JSON') : quoteLiteral(json);
      }
      return unsupported();
    case 'number':
      if (scalar === 'Int' || scalar === 'BigInt' || scalar === 'Float' || scalar === 'Decimal') return value.value;
      return unsupported();
    case 'name':
      if (scalar === 'Boolean' && (value.value === 'true' || value.value === 'false')) return value.value;
      return unsupported();
    case 'list':
      return unsupported();
    default: {
      const never: never = value;
      return never;
    }
  }
}

function nativeType(scalar: Scalar, attribute: PrismaAttribute, fail: Fail): string {
  const type = NATIVE_TYPES[attribute.name.slice('db.'.length)];
  if (!type || type.scalar !== scalar) return fail(attribute.line, `@${attribute.name} on a ${scalar} field is not read by the drift check`);
  const args = attribute.args.map((arg) => {
    if (arg.name !== null || arg.value.kind !== 'number') return fail(attribute.line, `@${attribute.name} takes numbers only`);
    return Number(arg.value.value);
  });
  const [min, max] = type.arity;
  if (args.length < min || args.length > max) fail(attribute.line, `@${attribute.name} takes ${min === max ? min : `${min} to ${max}`} arguments`);
  return type.sql(args);
}

/** A model's table name and its scalar fields' column names, needed before any relation can be resolved. */
interface ModelNames {
  table: string;
  columns: Map<string, { column: string; field: PrismaField }>;
}

function modelNames(model: PrismaModel, relationTypes: ReadonlySet<string>, fail: Fail): ModelNames {
  let table = model.name;
  for (const attribute of model.attributes) {
    if (attribute.name === 'map') table = stringValue(soleArgument(attribute, fail), attribute.line, fail);
  }
  const columns = new Map<string, { column: string; field: PrismaField }>();
  const seen = new Set<string>();
  for (const field of model.fields) {
    if (seen.has(field.name)) fail(field.line, `field ${field.name} is declared twice`);
    seen.add(field.name);
    if (relationTypes.has(field.type)) continue;
    const map = field.attributes.find((a) => a.name === 'map');
    const column = map ? stringValue(soleArgument(map, fail), map.line, fail) : field.name;
    columns.set(field.name, { column, field });
  }
  return { table, columns };
}

function columnOf(names: ModelNames, model: string, field: string, line: number, fail: Fail): string {
  const found = names.columns.get(field);
  if (!found) return fail(line, `model ${model} has no scalar field "${field}"`);
  return found.column;
}

function foreignKey(
  field: PrismaField,
  attribute: PrismaAttribute,
  own: ModelNames,
  model: PrismaModel,
  target: ModelNames,
  fail: Fail,
): DbForeignKey | null {
  let fields: string[] | null = null;
  let references: string[] | null = null;
  let onDelete: ReferentialAction | null = null;
  let onUpdate: ReferentialAction | null = null;
  const action = (value: PrismaValue): ReferentialAction => {
    const found = value.kind === 'name' ? PRISMA_ACTIONS[value.value] : undefined;
    return found ?? fail(attribute.line, 'expected a referential action (Cascade, Restrict, NoAction, SetNull, SetDefault)');
  };
  for (const [i, arg] of attribute.args.entries()) {
    if (arg.name === null && i === 0 && arg.value.kind === 'string') continue; // the relation's name
    switch (arg.name) {
      case 'name':
        stringValue(arg.value, attribute.line, fail);
        break;
      case 'fields':
        fields = nameList(arg.value, attribute.line, fail);
        break;
      case 'references':
        references = nameList(arg.value, attribute.line, fail);
        break;
      case 'onDelete':
        onDelete = action(arg.value);
        break;
      case 'onUpdate':
        onUpdate = action(arg.value);
        break;
      default:
        fail(attribute.line, `@relation argument ${arg.name ?? '(unnamed)'} is not read by the drift check`);
    }
  }
  // The other side of a relation: no column, no constraint.
  if (fields === null && references === null) {
    if (onDelete !== null || onUpdate !== null) fail(attribute.line, 'referential actions belong on the side with fields: and references:');
    return null;
  }
  if (fields === null || references === null) return fail(attribute.line, '@relation needs both fields: and references:');
  if (field.list) fail(field.line, 'a list relation field cannot hold fields:');
  // Prisma's defaults: SetNull when every foreign key field is optional, Restrict otherwise; Cascade on update.
  const allOptional = fields.every((name) => own.columns.get(name)?.field.optional === true);
  return {
    columns: fields.map((name) => columnOf(own, model.name, name, attribute.line, fail)),
    table: target.table,
    references: references.map((name) => columnOf(target, field.type, name, attribute.line, fail)),
    onDelete: onDelete ?? (allOptional ? 'SET NULL' : 'RESTRICT'),
    onUpdate: onUpdate ?? 'CASCADE',
  };
}

/** Prisma's index types, as `pg_am` names their access methods. */
const INDEX_METHODS: Record<string, string> = { BTree: 'btree', Hash: 'hash', Gist: 'gist', Gin: 'gin', SpGist: 'spgist', Brin: 'brin' };

/** The access method of `@@index([…])` or `@@index([…], type: Gin)`; other arguments (map, ops, sort) are not read. */
function indexMethod(attribute: PrismaAttribute, fail: Fail): string {
  let method = 'btree';
  for (const [i, arg] of attribute.args.entries()) {
    if (i === 0 && arg.name === null) continue;
    if (arg.name !== 'type') return fail(attribute.line, `@@index argument ${arg.name ?? '(unnamed)'} is not read by the drift check`);
    const found = arg.value.kind === 'name' ? INDEX_METHODS[arg.value.value] : undefined;
    if (!found) return fail(attribute.line, `expected an index type (${Object.keys(INDEX_METHODS).join(', ')})`);
    method = found;
  }
  return method;
}

/**
 * `Unsupported("tsvector")`: a column of a type Prisma Client cannot read, written by hand-made SQL. The string
 * must be the type as Postgres's `format_type` spells it; a default or native type on it is not read.
 */
function unsupportedColumn(field: PrismaField, column: string, fail: Fail): DbColumn {
  if (field.list) fail(field.line, 'a list of Unsupported is not read by the drift check: write the array type inside Unsupported("…[]")');
  for (const attribute of field.attributes) {
    if (attribute.name !== 'map') fail(attribute.line, `@${attribute.name} on an Unsupported field is not read by the drift check`);
  }
  return { name: column, type: field.unsupported ?? '', nullable: field.optional, default: null };
}

function modelTable(model: PrismaModel, names: ReadonlyMap<string, ModelNames>, fail: Fail): DbTable {
  const own = names.get(model.name);
  if (!own) return fail(model.line, `model ${model.name} was not indexed`);
  const table: DbTable = {
    name: own.table,
    columns: [],
    primaryKey: [],
    uniques: [],
    indexes: [],
    methodIndexes: [],
    foreignKeys: [],
    otherIndexes: [],
  };
  const setPrimaryKey = (columns: string[], line: number): void => {
    if (table.primaryKey.length > 0) fail(line, `model ${model.name} declares its primary key twice`);
    table.primaryKey = columns;
  };
  const columns = (attribute: PrismaAttribute): string[] =>
    nameList(soleArgument(attribute, fail), attribute.line, fail).map((name) => columnOf(own, model.name, name, attribute.line, fail));

  for (const attribute of model.attributes) {
    switch (attribute.name) {
      case 'map':
        break; // read by modelNames
      case 'id':
        setPrimaryKey(columns(attribute), attribute.line);
        break;
      case 'unique':
        table.uniques.push(columns(attribute));
        break;
      case 'index': {
        const method = indexMethod(attribute, fail);
        const [list] = attribute.args;
        const indexed = nameList(list?.name === null ? list.value : fail(attribute.line, '@@index needs its field list first'), attribute.line, fail).map(
          (name) => columnOf(own, model.name, name, attribute.line, fail),
        );
        if (method === 'btree') table.indexes.push(indexed);
        else table.methodIndexes.push({ method, columns: indexed });
        break;
      }
      default:
        fail(attribute.line, `model attribute @@${attribute.name} is not read by the drift check`);
    }
  }

  for (const field of model.fields) {
    const target = names.get(field.type);
    if (target) {
      for (const attribute of field.attributes) {
        if (attribute.name !== 'relation') fail(attribute.line, `@${attribute.name} on a relation field is not read by the drift check`);
        const key = foreignKey(field, attribute, own, model, target, fail);
        if (key) table.foreignKeys.push(key);
      }
      continue;
    }
    if (field.unsupported !== null) {
      table.columns.push(unsupportedColumn(field, columnOf(own, model.name, field.name, field.line, fail), fail));
      continue;
    }
    if (!isScalar(field.type)) {
      fail(field.line, `type ${field.type} is not read by the drift check (enums and composite types are not)`);
    }
    const scalar: Scalar = field.type;
    const column = columnOf(own, model.name, field.name, field.line, fail);
    let type: string = SCALAR_TYPES[scalar];
    let defaultValue: string | null = null;
    const seen = new Set<string>();
    for (const attribute of field.attributes) {
      const kind = attribute.name.startsWith('db.') ? 'db' : attribute.name;
      if (seen.has(kind)) fail(attribute.line, `@${attribute.name} given twice`);
      seen.add(kind);
      switch (kind) {
        case 'id':
          noArguments(attribute, fail);
          setPrimaryKey([column], attribute.line);
          break;
        case 'unique':
          noArguments(attribute, fail);
          table.uniques.push([column]);
          break;
        case 'default':
          defaultValue = expectedDefault(field, scalar, attribute, fail);
          break;
        case 'map':
          break; // read by modelNames
        case 'updatedAt':
          noArguments(attribute, fail); // set by Prisma Client; nothing in the database
          break;
        case 'db':
          type = nativeType(scalar, attribute, fail);
          break;
        default:
          fail(attribute.line, `field attribute @${attribute.name} is not read by the drift check`);
      }
    }
    table.columns.push({
      name: column,
      type: field.list ? `${type}[]` : type,
      // Prisma Migrate creates scalar lists without NOT NULL although the field is required
      // (prisma/orm#26425); the migrations follow it, so this does too.
      nullable: field.optional || field.list,
      default: defaultValue,
    });
  }
  return table;
}

/** The tables, columns, keys and indexes Prisma Migrate would create for this schema.prisma text. */
export function expectedSchema(schemaText: string): DbSchema {
  const lines = schemaText.split(/\r?\n/);
  const fail: Fail = (line, problem) => failAt(lines, line, problem);
  const models = parsePrismaSchema(schemaText);
  const modelTypes = new Set<string>();
  for (const model of models) {
    if (modelTypes.has(model.name)) fail(model.line, `model ${model.name} is declared twice`);
    modelTypes.add(model.name);
  }
  const names = new Map(models.map((model) => [model.name, modelNames(model, modelTypes, fail)]));
  return { tables: models.map((model) => modelTable(model, names, fail)) };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the database
// ---------------------------------------------------------------------------------------------------------------

/** A pool, or one checked-out client so a caller can read the schema inside a transaction it then rolls back. */
export interface Queryable {
  query<R extends pg.QueryResultRow>(text: string): Promise<pg.QueryResult<R>>;
}

const PG_ACTIONS: Record<string, ReferentialAction> = {
  a: 'NO ACTION',
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
};

/**
 * A column default as `pg_get_expr` prints it, in the form `expectedDefault` produces: `autoincrement()`,
 * `now()`, `'text'`, `'{"canonical":"json"}'`, `ARRAY[]`, `true`, `42`. Anything else stays as printed.
 */
export function normalizeDefault(sql: string | null): string | null {
  if (sql === null) return null;
  if (sql.startsWith('nextval(')) return 'autoincrement()';
  if (sql === 'CURRENT_TIMESTAMP' || sql === 'now()') return 'now()';
  if (/^ARRAY\[\]::[\w ]+\[\]$/.test(sql) || /^'\{\}'::[\w ]+\[\]$/.test(sql)) return 'ARRAY[]';
  if (/^\(?-?\d+(\.\d+)?\)?$/.test(sql)) return sql.replace(/[()]/g, '');
  const literal = /^'((?:[^']|'')*)'::([\w ]+)(\(\d+(,\d+)?\))?$/.exec(sql);
  if (literal) {
    const value = (literal[1] ?? '').replaceAll("''", "'");
    const type = literal[2] ?? '';
    if (type === 'jsonb' || type === 'json') return quoteLiteral(canonicalJson(value) ?? value);
    if (/^(integer|bigint|smallint|numeric|double precision|real)$/.test(type)) return value;
    return quoteLiteral(value);
  }
  return sql;
}

interface TableRow {
  table: string;
}
interface ColumnRow extends TableRow {
  name: string;
  type: string;
  nullable: boolean;
  default: string | null;
}
interface IndexRow extends TableRow {
  method: string;
  primary: boolean;
  unique: boolean;
  other: boolean;
  definition: string;
  columns: string[];
}
interface ForeignKeyRow extends TableRow {
  references_table: string;
  columns: string[];
  references: string[];
  on_delete: string;
  on_update: string;
}

const TABLES_SQL = `
  SELECT c.relname AS table
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
  ORDER BY c.relname`;

const COLUMNS_SQL = `
  SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
         NOT a.attnotnull AS nullable, pg_get_expr(d.adbin, d.adrelid) AS default
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
  ORDER BY c.relname, a.attnum`;

// indkey and indoption are int2vectors: cast to int2[] they keep their lower bound of 0.
const INDEXES_SQL = `
  SELECT t.relname AS table, ix.indisprimary AS primary, ix.indisunique AS unique,
         (ix.indpred IS NOT NULL OR ix.indnatts > ix.indnkeyatts) AS other, am.amname AS method,
         pg_get_indexdef(ix.indexrelid) AS definition,
         ARRAY(
           SELECT CASE WHEN k.attnum = 0 THEN pg_get_indexdef(ix.indexrelid, k.ord::int, true) ELSE a.attname::text END
                  || CASE WHEN (ix.indoption::int2[])[k.ord - 1] & 1 = 1 THEN ' DESC' ELSE '' END
           FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
           LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum
           WHERE k.ord <= ix.indnkeyatts
           ORDER BY k.ord
         ) AS columns
  FROM pg_index ix
  JOIN pg_class t ON t.oid = ix.indrelid
  JOIN pg_class i ON i.oid = ix.indexrelid
  JOIN pg_am am ON am.oid = i.relam
  JOIN pg_namespace n ON n.oid = t.relnamespace
  WHERE n.nspname = current_schema()
  ORDER BY t.relname, i.relname`;

const FOREIGN_KEYS_SQL = `
  SELECT t.relname AS table, r.relname AS references_table,
         ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
         ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS references,
         con.confdeltype AS on_delete, con.confupdtype AS on_update
  FROM pg_constraint con
  JOIN pg_class t ON t.oid = con.conrelid
  JOIN pg_class r ON r.oid = con.confrelid
  JOIN pg_namespace n ON n.oid = t.relnamespace
  WHERE con.contype = 'f' AND n.nspname = current_schema()
  ORDER BY t.relname, con.conname`;

function pgAction(code: string): ReferentialAction {
  const action = PG_ACTIONS[code];
  if (!action) throw new Error(`unknown referential action code "${code}" in pg_constraint`);
  return action;
}

/**
 * The tables of the connection's current schema as the catalog describes them, without Prisma's
 * `_prisma_migrations` ledger. Four catalog queries, one round trip each.
 */
export async function actualSchema(db: Queryable): Promise<DbSchema> {
  // One after another: a single client (unlike a pool) cannot run queries concurrently.
  const tables = await db.query<TableRow>(TABLES_SQL);
  const columns = await db.query<ColumnRow>(COLUMNS_SQL);
  const indexes = await db.query<IndexRow>(INDEXES_SQL);
  const foreignKeys = await db.query<ForeignKeyRow>(FOREIGN_KEYS_SQL);
  const byName = new Map<string, DbTable>();
  for (const { table } of tables.rows) {
    if (table === '_prisma_migrations') continue;
    byName.set(table, { name: table, columns: [], primaryKey: [], uniques: [], indexes: [], methodIndexes: [], foreignKeys: [], otherIndexes: [] });
  }
  for (const row of columns.rows) {
    byName.get(row.table)?.columns.push({ name: row.name, type: row.type, nullable: row.nullable, default: normalizeDefault(row.default) });
  }
  for (const row of indexes.rows) {
    const table = byName.get(row.table);
    if (!table) continue;
    if (row.other) table.otherIndexes.push(row.definition);
    else if (row.method !== 'btree') table.methodIndexes.push({ method: row.method, columns: row.columns });
    else if (row.primary) table.primaryKey = row.columns;
    else if (row.unique) table.uniques.push(row.columns);
    else table.indexes.push(row.columns);
  }
  for (const row of foreignKeys.rows) {
    byName.get(row.table)?.foreignKeys.push({
      columns: row.columns,
      table: row.references_table,
      references: row.references,
      onDelete: pgAction(row.on_delete),
      onUpdate: pgAction(row.on_update),
    });
  }
  return { tables: [...byName.values()] };
}

// ---------------------------------------------------------------------------------------------------------------
// Comparing
// ---------------------------------------------------------------------------------------------------------------

function columnList(columns: readonly string[]): string {
  return `(${columns.join(', ')})`;
}

function nullability(column: DbColumn): string {
  return column.nullable ? 'nullable' : 'NOT NULL';
}

function foreignKeyTarget(key: DbForeignKey): string {
  return `${columnList(key.columns)} -> ${key.table}${columnList(key.references)}`;
}

/** Multiset difference: the same column list declared twice must exist twice. */
function compareLists(kind: string, expected: readonly string[], actual: readonly string[]): string[] {
  const remaining = [...actual];
  const differences: string[] = [];
  for (const key of expected) {
    const i = remaining.indexOf(key);
    if (i === -1) differences.push(`${kind} ${key} missing in database`);
    else remaining.splice(i, 1);
  }
  for (const key of remaining) differences.push(`${kind} ${key} in database but not in schema.prisma`);
  return differences;
}

function compareColumns(expected: DbTable, actual: DbTable): string[] {
  const differences: string[] = [];
  const actualColumns = new Map(actual.columns.map((c) => [c.name, c]));
  for (const column of expected.columns) {
    const found = actualColumns.get(column.name);
    if (!found) {
      differences.push(`column ${column.name} missing in database`);
      continue;
    }
    if (column.type !== found.type) {
      differences.push(`column ${column.name} is ${column.type} in schema.prisma but ${found.type} in database`);
    }
    if (column.nullable !== found.nullable) {
      differences.push(`column ${column.name} is ${nullability(column)} in schema.prisma but ${nullability(found)} in database`);
    }
    if (column.default !== found.default) {
      differences.push(`column ${column.name} default is ${column.default ?? 'none'} in schema.prisma but ${found.default ?? 'none'} in database`);
    }
  }
  const expectedNames = new Set(expected.columns.map((c) => c.name));
  for (const column of actual.columns) {
    if (!expectedNames.has(column.name)) differences.push(`column ${column.name} in database but not in schema.prisma`);
  }
  return differences;
}

function compareForeignKeys(expected: DbTable, actual: DbTable): string[] {
  const differences: string[] = [];
  const remaining = [...actual.foreignKeys];
  for (const key of expected.foreignKeys) {
    const target = foreignKeyTarget(key);
    const i = remaining.findIndex((k) => foreignKeyTarget(k) === target);
    const found = remaining[i];
    if (!found) {
      differences.push(`foreign key ${target} ON DELETE ${key.onDelete} ON UPDATE ${key.onUpdate} missing in database`);
      continue;
    }
    remaining.splice(i, 1);
    if (key.onDelete !== found.onDelete) {
      differences.push(`foreign key ${target} is ON DELETE ${key.onDelete} in schema.prisma but ON DELETE ${found.onDelete} in database`);
    }
    if (key.onUpdate !== found.onUpdate) {
      differences.push(`foreign key ${target} is ON UPDATE ${key.onUpdate} in schema.prisma but ON UPDATE ${found.onUpdate} in database`);
    }
  }
  for (const key of remaining) {
    differences.push(`foreign key ${foreignKeyTarget(key)} ON DELETE ${key.onDelete} ON UPDATE ${key.onUpdate} in database but not in schema.prisma`);
  }
  return differences;
}

function compareTables(expected: DbTable, actual: DbTable): string[] {
  const differences = compareColumns(expected, actual);
  const expectedKey = expected.primaryKey.length > 0 ? columnList(expected.primaryKey) : 'none';
  const actualKey = actual.primaryKey.length > 0 ? columnList(actual.primaryKey) : 'none';
  if (expectedKey !== actualKey) differences.push(`primary key is ${expectedKey} in schema.prisma but ${actualKey} in database`);
  differences.push(...compareLists('unique index', expected.uniques.map(columnList), actual.uniques.map(columnList)));
  differences.push(...compareLists('index', expected.indexes.map(columnList), actual.indexes.map(columnList)));
  const usingMethod = (index: DbMethodIndex) => `${columnList(index.columns)} USING ${index.method}`;
  differences.push(...compareLists('index', expected.methodIndexes.map(usingMethod), actual.methodIndexes.map(usingMethod)));
  differences.push(...compareLists('index', expected.otherIndexes, actual.otherIndexes));
  differences.push(...compareForeignKeys(expected, actual));
  return differences;
}

/** Every way the database differs from what schema.prisma declares, one sentence each; empty when they agree. */
export function compareSchemas(expected: DbSchema, actual: DbSchema): string[] {
  const differences: string[] = [];
  const actualTables = new Map(actual.tables.map((t) => [t.name, t]));
  for (const table of expected.tables) {
    const found = actualTables.get(table.name);
    if (!found) differences.push(`table ${table.name} missing in database`);
    else differences.push(...compareTables(table, found).map((d) => `table ${table.name}: ${d}`));
  }
  const expectedNames = new Set(expected.tables.map((t) => t.name));
  for (const table of actual.tables) {
    if (!expectedNames.has(table.name)) differences.push(`table ${table.name} in database but not in schema.prisma`);
  }
  return differences;
}
