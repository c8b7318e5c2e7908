/**
 * RDB object types and opcodes (the numbers are fixed by the file format: Redis 2.x..7.x, Valkey
 * 7.2..9.0).
 */

/** The version we write: Redis 7.0 loads up to 10, Redis 7.2+ and Valkey load it too. */
export const RDB_WRITE_VERSION = 10;

export const T_STRING = 0;
export const T_LIST = 1;
export const T_SET = 2;
export const T_ZSET = 3;
export const T_HASH = 4;
export const T_ZSET_2 = 5;
export const T_MODULE_PRE_GA = 6;
export const T_MODULE_2 = 7;
export const T_HASH_ZIPMAP = 9;
export const T_LIST_ZIPLIST = 10;
export const T_SET_INTSET = 11;
export const T_ZSET_ZIPLIST = 12;
export const T_HASH_ZIPLIST = 13;
export const T_LIST_QUICKLIST = 14;
export const T_STREAM_LISTPACKS = 15;
export const T_HASH_LISTPACK = 16;
export const T_ZSET_LISTPACK = 17;
export const T_LIST_QUICKLIST_2 = 18;
export const T_STREAM_LISTPACKS_2 = 19;
export const T_SET_LISTPACK = 20;
export const T_STREAM_LISTPACKS_3 = 21;
/** Valkey 9 (RDB 80): hashes with field expirations. */
export const T_HASH_2 = 22;

/** Valkey 9: slot import state (cluster). */
export const OP_SLOT_IMPORT = 243;
/** Valkey 8 / Redis 7.4 cluster slot sizes (a hint, safe to skip). */
export const OP_SLOT_INFO = 244;
export const OP_FUNCTION2 = 245;
/** Redis 7.0 release candidates' function format. */
export const OP_FUNCTION_PRE_GA = 246;
export const OP_MODULE_AUX = 247;
export const OP_IDLE = 248;
export const OP_FREQ = 249;
export const OP_AUX = 250;
export const OP_RESIZEDB = 251;
export const OP_EXPIRETIME_MS = 252;
export const OP_EXPIRETIME = 253;
export const OP_SELECTDB = 254;
export const OP_EOF = 255;

/** Quicklist 2 node containers. */
export const QUICKLIST_NODE_PLAIN = 1;
export const QUICKLIST_NODE_PACKED = 2;
