/**
 * Deletion vectors (Delta protocol, "Deletion Vectors"; reader/writer feature `deletionVectors`).
 *
 * A DELETE, UPDATE or MERGE that touches a few rows of a large Parquet file would otherwise have
 * to rewrite the whole file. With deletion vectors the writer leaves the file alone and records
 * the positions (row indexes) of the invalidated rows in a compressed bitmap, a 64-bit Roaring
 * bitmap. The `add` action then carries a descriptor pointing at that bitmap, either inline in the
 * log (Z85 text) or in a `.bin` file next to the data. A reader must drop those rows.
 *
 * This module is pure protocol logic: it turns descriptors and bytes into sorted row indexes and
 * back. It never touches storage; the caller passes bytes in (or a `readFile` callback), so the
 * kernel can be tested without an engine.
 */
import { LakehouseError } from "../errors.js";

/** The `deletionVector` field of an `add`/`remove` action. */
export interface DeletionVectorDescriptor {
  /** `u`: file under the table named by a Z85 UUID; `i`: inline Z85 bytes; `p`: absolute path. */
  storageType: "u" | "i" | "p";
  pathOrInlineDv: string;
  /** Byte position of this DV inside its file; absent for inline DVs. */
  offset?: number;
  /** Size of the serialized bitmap (before Z85 encoding when inline). */
  sizeInBytes: number;
  /** Number of rows the DV removes. */
  cardinality: number;
  maxRowIndex?: number;
}

/**
 * The bytes of a deletion vector cannot be trusted: bad checksum, truncated file, malformed
 * bitmap, or a row count that disagrees with the log. `params.reason` says which.
 * The code is fixed (Delta's checksum error class) so callers can match one condition.
 */
export class DeletionVectorCorruptError extends LakehouseError {
  constructor(message: string, params: Record<string, unknown> & { reason: string }) {
    super("DELTA_DELETION_VECTOR_CHECKSUM_MISMATCH", message, params);
  }
}

const FILE_ADVICE =
  "Restore the deletion vector file from a backup, or re-run the command that wrote it (DELETE/UPDATE/MERGE) on an intact copy of the table.";
const LOG_ADVICE =
  "The table's log entry is damaged: restore the commit from a backup, or re-run the command that wrote it (DELETE/UPDATE/MERGE).";

function corrupt(reason: string, what: string, advice: string, params: Record<string, unknown> = {}): never {
  throw new DeletionVectorCorruptError(`${what}. ${advice}`, { reason, ...params });
}

// ---------------------------------------------------------------------------------------------
// Z85 (ZeroMQ RFC 32). Delta picked it over classic base85 because its alphabet has no `"` or `\`,
// so encoded DVs and UUIDs sit in JSON without escaping.
// ---------------------------------------------------------------------------------------------

const Z85_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
const Z85_DECODE = (() => {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < Z85_ALPHABET.length; i++) table[Z85_ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/** Decodes Z85 text (length a multiple of 5) into 4 bytes per 5 characters. */
export function z85Decode(s: string): Uint8Array {
  if (s.length % 5 !== 0) {
    corrupt("z85", `Z85 text has length ${s.length}, which is not a multiple of 5`, LOG_ADVICE);
  }
  const out = new Uint8Array((s.length / 5) * 4);
  const view = new DataView(out.buffer);
  for (let i = 0, o = 0; i < s.length; i += 5, o += 4) {
    let value = 0;
    for (let j = 0; j < 5; j++) {
      const code = s.charCodeAt(i + j);
      const digit = code < 128 ? Z85_DECODE[code]! : -1;
      if (digit < 0) {
        corrupt("z85", `Invalid Z85 character ${JSON.stringify(s[i + j])} at position ${i + j}`, LOG_ADVICE);
      }
      value = value * 85 + digit;
    }
    // Five base-85 digits reach 85^5 - 1 > 2^32 - 1; such groups encode no 4 bytes.
    if (value > 0xffffffff) {
      corrupt("z85", `Z85 group at position ${i} exceeds 32 bits`, LOG_ADVICE);
    }
    view.setUint32(o, value, false);
  }
  return out;
}

/**
 * Encodes bytes as Z85. Input that is not a multiple of 4 bytes is zero-padded (as Delta's own
 * encoder does), which is why inline descriptors carry `sizeInBytes`: the reader cuts the padding.
 */
export function z85Encode(bytes: Uint8Array): string {
  const padded = bytes.length % 4 === 0 ? bytes : new Uint8Array(bytes.length + 4 - (bytes.length % 4));
  if (padded !== bytes) padded.set(bytes);
  const view = new DataView(padded.buffer, padded.byteOffset, padded.byteLength);
  let out = "";
  for (let o = 0; o < padded.length; o += 4) {
    let value = view.getUint32(o, false);
    const chars = new Array<string>(5);
    for (let j = 4; j >= 0; j--) {
      chars[j] = Z85_ALPHABET[value % 85]!;
      value = Math.floor(value / 85);
    }
    out += chars.join("");
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Descriptor-derived fields
// ---------------------------------------------------------------------------------------------

/**
 * The DV part of a file's identity during log replay: the same path with a different DV is a
 * different logical file, so replay keys files by `(path, dvUniqueId)`.
 */
export function dvUniqueId(dv: DeletionVectorDescriptor): string {
  return dv.offset != null ? `${dv.storageType}${dv.pathOrInlineDv}@${dv.offset}` : `${dv.storageType}${dv.pathOrInlineDv}`;
}

const UUID_Z85_LENGTH = 20;

/** Where the DV's bytes live; `null` for inline DVs, which live in the log itself. */
export function dvAbsolutePath(dv: DeletionVectorDescriptor, tableRoot: string): string | null {
  switch (dv.storageType) {
    case "i":
      return null;
    case "p":
      return absolutePathFromUri(dv.pathOrInlineDv);
    case "u": {
      const s = dv.pathOrInlineDv;
      if (s.length < UUID_Z85_LENGTH) {
        corrupt("descriptor", `Deletion vector path ${JSON.stringify(s)} is shorter than a 20-character Z85 UUID`, LOG_ADVICE);
      }
      // Writers may prepend a random prefix, which becomes a directory, to spread DV files over
      // object-store key ranges.
      const prefix = s.slice(0, s.length - UUID_Z85_LENGTH);
      const uuid = formatUuid(z85Decode(s.slice(s.length - UUID_Z85_LENGTH)));
      const root = tableRoot.replace(/\/+$/, "");
      const dir = prefix === "" ? root : `${root}/${prefix}`;
      return `${dir}/deletion_vector_${uuid}.bin`;
    }
    default:
      return corrupt(
        "descriptor",
        `Unknown deletion vector storage type ${JSON.stringify((dv as { storageType: unknown }).storageType)}`,
        LOG_ADVICE,
      );
  }
}

function formatUuid(bytes: Uint8Array): string {
  let hex = "";
  for (const b of bytes) hex += b.toString(16).padStart(2, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** `p` paths use the log's URI form: a local file may be written `file:///x` or `file:/x`, escaped. */
function absolutePathFromUri(uri: string): string {
  const withoutScheme = uri.replace(/^file:(\/\/[^/]*)?(?=\/)/i, "");
  try {
    return decodeURIComponent(withoutScheme);
  } catch {
    return corrupt("descriptor", `Deletion vector path ${JSON.stringify(uri)} is not a valid URL-encoded path`, LOG_ADVICE);
  }
}

// ---------------------------------------------------------------------------------------------
// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320): the checksum DV files store per bitmap.
// ---------------------------------------------------------------------------------------------

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32/IEEE of `bytes` as an unsigned 32-bit number (exported for the DV file writer). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// DV files and inline DVs
// ---------------------------------------------------------------------------------------------

const DV_FILE_FORMAT_VERSION = 1;

/**
 * Decodes the DV stored at `offset` in a DV file's `bytes`: a big-endian int32 size, that many
 * bytes of bitmap, then a big-endian CRC-32 of the bitmap. A file may hold several DVs, one per
 * data file, hence the offset. Returns the sorted row indexes.
 *
 * `source` only names the file in error messages.
 */
export function parseDeletionVectorFile(
  bytes: Uint8Array,
  offset: number,
  sizeInBytes: number,
  source = "deletion vector file",
): number[] {
  const where = `${source} (offset ${offset}, ${sizeInBytes} bytes)`;
  if (bytes.length < 1) corrupt("truncated", `Deletion vector ${where} is empty`, FILE_ADVICE, { source });
  if (bytes[0] !== DV_FILE_FORMAT_VERSION) {
    corrupt("version", `Deletion vector ${where} has format version ${bytes[0]}, expected ${DV_FILE_FORMAT_VERSION}`, FILE_ADVICE, {
      source,
    });
  }
  if (!Number.isSafeInteger(offset) || offset < 1 || !Number.isSafeInteger(sizeInBytes) || sizeInBytes < 0) {
    corrupt("descriptor", `Deletion vector ${where} has an invalid offset or size`, LOG_ADVICE, { source });
  }
  const end = offset + 4 + sizeInBytes + 4;
  if (end > bytes.length) {
    corrupt("truncated", `Deletion vector ${where} is truncated: needs ${end} bytes, file has ${bytes.length}`, FILE_ADVICE, {
      source,
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const storedSize = view.getInt32(offset, false);
  if (storedSize !== sizeInBytes) {
    corrupt("size", `Deletion vector ${where} records a size of ${storedSize} bytes, the log says ${sizeInBytes}`, FILE_ADVICE, {
      source,
      storedSize,
    });
  }
  const bitmap = bytes.subarray(offset + 4, offset + 4 + sizeInBytes);
  const stored = view.getUint32(offset + 4 + sizeInBytes, false);
  const computed = crc32(bitmap);
  if (stored !== computed) {
    corrupt(
      "checksum",
      `Deletion vector ${where} fails its checksum: stored CRC-32 ${hex32(stored)}, computed ${hex32(computed)}`,
      FILE_ADVICE,
      { source, stored, computed },
    );
  }
  return decodeRoaringTreemap(bitmap);
}

/** Decodes an inline (`i`) DV: Z85 text of the serialized bitmap, without size or CRC framing. */
export function decodeInlineDv(pathOrInlineDv: string, sizeInBytes: number): number[] {
  const decoded = z85Decode(pathOrInlineDv);
  // Z85 works in 4-byte groups, so up to 3 bytes of padding may follow the bitmap.
  if (sizeInBytes > decoded.length || decoded.length - sizeInBytes > 3) {
    corrupt("size", `Inline deletion vector decodes to ${decoded.length} bytes, the log says ${sizeInBytes}`, LOG_ADVICE);
  }
  return decodeRoaringTreemap(decoded.subarray(0, sizeInBytes));
}

/**
 * The row indexes a descriptor deletes, read through `readFile` for on-disk DVs, checked against
 * the descriptor's `cardinality` (a mismatch means the log and the file disagree).
 */
export function deletedRowIndexes(
  descriptor: DeletionVectorDescriptor,
  readFile: (absPath: string) => Uint8Array,
  tableRoot: string,
): number[] {
  let rows: number[];
  let where: string;
  if (descriptor.storageType === "i") {
    where = "inline deletion vector";
    rows = decodeInlineDv(descriptor.pathOrInlineDv, descriptor.sizeInBytes);
  } else {
    const path = dvAbsolutePath(descriptor, tableRoot)!;
    where = `deletion vector ${path}`;
    // Single-DV files written before offsets were recorded start right after the version byte.
    rows = parseDeletionVectorFile(readFile(path), descriptor.offset ?? 1, descriptor.sizeInBytes, path);
  }
  if (rows.length !== descriptor.cardinality) {
    corrupt(
      "cardinality",
      `The ${where} holds ${rows.length} row indexes, the log says ${descriptor.cardinality}`,
      descriptor.storageType === "i" ? LOG_ADVICE : FILE_ADVICE,
      { cardinality: descriptor.cardinality, actual: rows.length },
    );
  }
  return rows;
}

function hex32(n: number): string {
  return `0x${n.toString(16).padStart(8, "0")}`;
}

// ---------------------------------------------------------------------------------------------
// Serialized bitmap: Delta magic + portable 64-bit RoaringTreemap (RoaringFormatSpec)
// ---------------------------------------------------------------------------------------------

const MAGIC_PORTABLE = 1681511377;
/** Delta's earlier "native" RoaringBitmapArray format, still used by the spec's inline example. */
const MAGIC_LEGACY_NATIVE = 1681511376;
/** RoaringFormatSpec cookies: 12346 has no run containers and always an offset header. */
const COOKIE_NO_RUNS = 12346;
const COOKIE_WITH_RUNS = 12347;
/** With runs, the offset header exists only from this many containers on. */
const NO_OFFSET_THRESHOLD = 4;
/** Array containers hold at most this many values; denser chunks are 8 KiB bitmaps. */
const ARRAY_MAX = 4096;
const BITMAP_BYTES = 8192;
const TWO_POW_32 = 2 ** 32;
/** Buckets whose key is above this would give row indexes past 2^53, which `number` can't hold. */
const MAX_BUCKET_KEY = 2 ** 21 - 1;

/** Bounds-checked little/big-endian reader: every overrun is a corrupt DV, never a RangeError. */
class Reader {
  private readonly view: DataView;
  pos = 0;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  need(n: number, what: string): void {
    if (this.pos + n > this.bytes.length) {
      corrupt("format", `Deletion vector bitmap is truncated while reading ${what} at byte ${this.pos}`, FILE_ADVICE);
    }
  }
  u16(what: string): number {
    this.need(2, what);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(what: string, littleEndian = true): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, littleEndian);
    this.pos += 4;
    return v;
  }
  u64AsNumber(what: string): number {
    const lo = this.u32(what);
    const hi = this.u32(what);
    if (hi > 0x1fffff) corrupt("format", `Deletion vector bitmap has an impossible ${what}`, FILE_ADVICE);
    return hi * TWO_POW_32 + lo;
  }
}

/**
 * Decodes a serialized DV bitmap (magic + 64-bit Roaring) into sorted row indexes. Also accepts
 * the legacy native format (big-endian magic 1681511376), whose buckets are simply positional.
 */
export function decodeRoaringTreemap(bytes: Uint8Array): number[] {
  const r = new Reader(bytes);
  const rows: number[] = [];
  const magicLe = r.u32("magic number");
  if (magicLe === MAGIC_PORTABLE) {
    const numBuckets = r.u64AsNumber("bucket count");
    // Each bucket takes at least 12 bytes, so a larger count can only come from garbage.
    if (numBuckets > (bytes.length - r.pos) / 12) {
      corrupt("format", `Deletion vector bitmap claims ${numBuckets} buckets in ${bytes.length} bytes`, FILE_ADVICE);
    }
    let previousKey = -1;
    for (let b = 0; b < numBuckets; b++) {
      const key = r.u32("bucket key");
      if (key <= previousKey) corrupt("format", "Deletion vector bitmap buckets are not in ascending key order", FILE_ADVICE);
      // Delta requires the top bit clear; beyond 2^21 rows could not be exact JS numbers anyway.
      if (key > MAX_BUCKET_KEY) {
        corrupt("format", `Deletion vector bitmap has bucket key ${key}, beyond any supported row index`, FILE_ADVICE);
      }
      previousKey = key;
      readRoaring32(r, key * TWO_POW_32, rows);
    }
  } else if (new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, false) === MAGIC_LEGACY_NATIVE) {
    const numBitmaps = r.u32("bitmap count", false);
    if (numBitmaps > (bytes.length - r.pos) / 12 || numBitmaps > MAX_BUCKET_KEY + 1) {
      corrupt("format", `Deletion vector bitmap claims ${numBitmaps} bitmaps in ${bytes.length} bytes`, FILE_ADVICE);
    }
    for (let b = 0; b < numBitmaps; b++) {
      const size = r.u32("bitmap size", false);
      const start = r.pos;
      readRoaring32(r, b * TWO_POW_32, rows);
      if (r.pos - start !== size) corrupt("format", `Legacy deletion vector bitmap ${b} is not ${size} bytes long`, FILE_ADVICE);
    }
  } else {
    corrupt(
      "format",
      `Deletion vector bitmap has magic number ${magicLe}, expected ${MAGIC_PORTABLE} (portable RoaringTreemap)`,
      FILE_ADVICE,
    );
  }
  if (r.pos !== bytes.length) {
    corrupt("format", `Deletion vector bitmap has ${bytes.length - r.pos} unexpected trailing bytes`, FILE_ADVICE);
  }
  return rows;
}

/** Reads one portable 32-bit Roaring bitmap at `r.pos`, appending `base + value` to `rows`. */
function readRoaring32(r: Reader, base: number, rows: number[]): void {
  const start = r.pos;
  const cookie = r.u32("roaring cookie");
  let size: number;
  let runFlags: Uint8Array | null = null;
  if ((cookie & 0xffff) === COOKIE_WITH_RUNS) {
    size = (cookie >>> 16) + 1;
    const flagBytes = (size + 7) >>> 3;
    r.need(flagBytes, "run-container flags");
    runFlags = r.bytes.subarray(r.pos, r.pos + flagBytes);
    r.pos += flagBytes;
  } else if (cookie === COOKIE_NO_RUNS) {
    size = r.u32("container count");
    if (size > 65536) corrupt("format", `Roaring bitmap claims ${size} containers (max 65536)`, FILE_ADVICE);
  } else {
    corrupt("format", `Roaring bitmap has unknown cookie ${cookie}, expected ${COOKIE_NO_RUNS} or ${COOKIE_WITH_RUNS}`, FILE_ADVICE);
  }

  const keys = new Uint32Array(size);
  const cards = new Uint32Array(size);
  for (let i = 0; i < size; i++) {
    keys[i] = r.u16("container key");
    cards[i] = r.u16("container cardinality") + 1;
    if (i > 0 && keys[i]! <= keys[i - 1]!) corrupt("format", "Roaring containers are not in ascending key order", FILE_ADVICE);
  }
  let offsets: Uint32Array | null = null;
  if (runFlags === null || size >= NO_OFFSET_THRESHOLD) {
    offsets = new Uint32Array(size);
    for (let i = 0; i < size; i++) offsets[i] = r.u32("container offset");
  }

  for (let i = 0; i < size; i++) {
    // Offsets are redundant with sequential reading; disagreement means the bytes were damaged.
    if (offsets !== null && offsets[i] !== r.pos - start) {
      corrupt("format", `Roaring container ${i} starts at byte ${r.pos - start}, its header says ${offsets[i]}`, FILE_ADVICE);
    }
    const chunkBase = base + keys[i]! * 65536;
    const card = cards[i]!;
    const isRun = runFlags !== null && (runFlags[i >>> 3]! & (1 << (i & 7))) !== 0;
    const before = rows.length;
    if (isRun) readRunContainer(r, chunkBase, rows);
    else if (card <= ARRAY_MAX) readArrayContainer(r, chunkBase, card, rows);
    else readBitmapContainer(r, chunkBase, rows);
    if (rows.length - before !== card) {
      corrupt("format", `Roaring container ${i} holds ${rows.length - before} values, its header says ${card}`, FILE_ADVICE);
    }
  }
}

function readArrayContainer(r: Reader, chunkBase: number, card: number, rows: number[]): void {
  let previous = -1;
  for (let j = 0; j < card; j++) {
    const v = r.u16("array container value");
    if (v <= previous) corrupt("format", "Roaring array container values are not strictly ascending", FILE_ADVICE);
    previous = v;
    rows.push(chunkBase + v);
  }
}

function readBitmapContainer(r: Reader, chunkBase: number, rows: number[]): void {
  r.need(BITMAP_BYTES, "bitmap container");
  // 64-bit words in little endian are two little-endian 32-bit halves, low half first, so walking
  // 32-bit words in order visits bits in ascending value order.
  for (let w = 0; w < BITMAP_BYTES / 4; w++) {
    let word = r.u32("bitmap container word");
    while (word !== 0) {
      const lowest = word & -word;
      rows.push(chunkBase + w * 32 + (31 - Math.clz32(lowest)));
      word ^= lowest;
    }
  }
}

function readRunContainer(r: Reader, chunkBase: number, rows: number[]): void {
  const numRuns = r.u16("run count");
  let nextAllowed = 0;
  for (let k = 0; k < numRuns; k++) {
    const startValue = r.u16("run start");
    const lengthMinusOne = r.u16("run length");
    const last = startValue + lengthMinusOne;
    if (startValue < nextAllowed || last > 0xffff) {
      corrupt("format", "Roaring run container has overlapping, unordered or overflowing runs", FILE_ADVICE);
    }
    for (let v = startValue; v <= last; v++) rows.push(chunkBase + v);
    nextAllowed = last + 2; // adjacent runs would have been merged, so require a gap
  }
}

/**
 * Serializes row indexes as a Delta DV bitmap: magic + portable 64-bit RoaringTreemap, with array
 * containers for sparse 65536-row chunks and 8 KiB bitmap containers above 4096 values. It writes
 * cookie 12346 (no run containers), the same layout Spark/Databricks produce for such bitmaps.
 * Input may be unsorted or contain duplicates; it is not modified.
 */
export function encodeRoaringTreemap(rows: number[]): Uint8Array {
  for (const row of rows) {
    if (!Number.isSafeInteger(row) || row < 0) {
      throw new DeletionVectorCorruptError(
        `Cannot encode row index ${row} in a deletion vector: row indexes are non-negative integers below 2^53. Pass the physical positions of the rows in their Parquet file.`,
        { reason: "encode", row },
      );
    }
  }
  const sorted = Float64Array.from(rows).sort();

  // Group into buckets (high 32 bits) and, inside each, containers (next 16 bits).
  interface Container {
    key: number;
    values: number[];
  }
  const buckets: { key: number; containers: Container[] }[] = [];
  let previous = -1;
  for (const row of sorted) {
    if (row === previous) continue;
    previous = row;
    const bucketKey = Math.floor(row / TWO_POW_32);
    const low = row - bucketKey * TWO_POW_32;
    const containerKey = low >>> 16;
    let bucket = buckets[buckets.length - 1];
    if (bucket === undefined || bucket.key !== bucketKey) {
      bucket = { key: bucketKey, containers: [] };
      buckets.push(bucket);
    }
    let container = bucket.containers[bucket.containers.length - 1];
    if (container === undefined || container.key !== containerKey) {
      container = { key: containerKey, values: [] };
      bucket.containers.push(container);
    }
    container.values.push(low & 0xffff);
  }

  const containerBytes = (c: Container) => (c.values.length > ARRAY_MAX ? BITMAP_BYTES : 2 * c.values.length);
  let total = 4 + 8;
  for (const b of buckets) {
    total += 4 + 8 + 8 * b.containers.length;
    for (const c of b.containers) total += containerBytes(c);
  }

  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let p = 0;
  view.setUint32(p, MAGIC_PORTABLE, true);
  p += 4;
  view.setUint32(p, buckets.length, true);
  view.setUint32(p + 4, 0, true);
  p += 8;
  for (const b of buckets) {
    view.setUint32(p, b.key, true);
    p += 4;
    const start = p;
    const n = b.containers.length;
    view.setUint32(p, COOKIE_NO_RUNS, true);
    view.setUint32(p + 4, n, true);
    p += 8;
    for (const c of b.containers) {
      view.setUint16(p, c.key, true);
      view.setUint16(p + 2, c.values.length - 1, true);
      p += 4;
    }
    let dataOffset = p + 4 * n - start;
    for (const c of b.containers) {
      view.setUint32(p, dataOffset, true);
      p += 4;
      dataOffset += containerBytes(c);
    }
    for (const c of b.containers) {
      if (c.values.length > ARRAY_MAX) {
        for (const v of c.values) out[p + (v >>> 3)] |= 1 << (v & 7);
        p += BITMAP_BYTES;
      } else {
        for (const v of c.values) {
          view.setUint16(p, v, true);
          p += 2;
        }
      }
    }
  }
  return out;
}
