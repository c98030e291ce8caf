import pg from 'pg';

/** Names of the built-in types (OID → name) so columns are typed without a catalog round trip. */
const BUILTIN: Record<number, string> = {
  16: 'bool',
  17: 'bytea',
  18: 'char',
  19: 'name',
  20: 'int8',
  21: 'int2',
  23: 'int4',
  24: 'regproc',
  25: 'text',
  26: 'oid',
  114: 'json',
  142: 'xml',
  650: 'cidr',
  700: 'float4',
  701: 'float8',
  774: 'macaddr8',
  790: 'money',
  829: 'macaddr',
  869: 'inet',
  1000: '_bool',
  1005: '_int2',
  1007: '_int4',
  1009: '_text',
  1014: '_bpchar',
  1015: '_varchar',
  1016: '_int8',
  1021: '_float4',
  1022: '_float8',
  1042: 'bpchar',
  1043: 'varchar',
  1082: 'date',
  1083: 'time',
  1114: 'timestamp',
  1115: '_timestamp',
  1182: '_date',
  1184: 'timestamptz',
  1185: '_timestamptz',
  1186: 'interval',
  1231: '_numeric',
  1266: 'timetz',
  1560: 'bit',
  1562: 'varbit',
  1700: 'numeric',
  2205: 'regclass',
  2206: 'regtype',
  2249: 'record',
  2278: 'void',
  2950: 'uuid',
  2951: '_uuid',
  3220: 'pg_lsn',
  3614: 'tsvector',
  3802: 'jsonb',
  3807: '_jsonb',
  4089: 'regnamespace',
  4096: 'regrole',
  199: '_json',
  1028: '_oid',
};

export function builtinTypeName(oid: number): string | undefined {
  return BUILTIN[oid];
}

/** Returns every value as the server's text (or null): parsing is deferred to the rows we keep. */
const identity = (value: string) => value;
export const RAW_TYPES = {
  getTypeParser: () => identity,
};

export type TextParser = (value: string) => unknown;

export function textParser(oid: number): TextParser {
  return pg.types.getTypeParser(oid, 'text') as TextParser;
}
