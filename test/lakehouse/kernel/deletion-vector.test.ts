import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LakehouseError } from "../../../src/lakehouse/errors.js";
import {
  crc32,
  decodeInlineDv,
  decodeRoaringTreemap,
  DeletionVectorCorruptError,
  deletedRowIndexes,
  dvAbsolutePath,
  dvUniqueId,
  encodeRoaringTreemap,
  parseDeletionVectorFile,
  z85Decode,
  z85Encode,
  type DeletionVectorDescriptor,
} from "../../../src/lakehouse/kernel/deletion-vector.js";
import { CONFORMANCE } from "../../helpers.js";

const TABLE = join(CONFORMANCE, "table-with-dv-small");

/** The live `add` with a deletion vector, found by reading the table's log as a reader would. */
function dvAddFromLog(): { path: string; deletionVector: DeletionVectorDescriptor } {
  const logDir = join(TABLE, "_delta_log");
  const commits = readdirSync(logDir)
    .filter((f) => /^\d{20}\.json$/.test(f))
    .sort();
  let found: { path: string; deletionVector: DeletionVectorDescriptor } | undefined;
  for (const commit of commits) {
    for (const line of readFileSync(join(logDir, commit), "utf8").split("\n")) {
      if (line.trim() === "") continue;
      const action = JSON.parse(line) as { add?: { path: string; deletionVector?: DeletionVectorDescriptor } };
      if (action.add?.deletionVector) found = { path: action.add.path, deletionVector: action.add.deletionVector };
    }
  }
  if (!found) throw new Error("no add with a deletionVector in the log");
  return found;
}

interface Expected {
  computed: {
    latest: {
      activeFiles: {
        path: string;
        parquetNumRows: number;
        deletionVector?: { cardinality: number; deletedRowIndexes: number[] };
      }[];
    };
  };
}
const expected = JSON.parse(readFileSync(join(TABLE, "EXPECTED.json"), "utf8")) as Expected;

/** Builds a DV file holding `bitmaps` one after another, as a writer packing several DVs would. */
function dvFile(bitmaps: Uint8Array[]): { bytes: Uint8Array; offsets: number[] } {
  const total = 1 + bitmaps.reduce((n, b) => n + 8 + b.length, 0);
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  bytes[0] = 1;
  const offsets: number[] = [];
  let p = 1;
  for (const b of bitmaps) {
    offsets.push(p);
    view.setInt32(p, b.length, false);
    bytes.set(b, p + 4);
    view.setUint32(p + 4 + b.length, crc32(b), false);
    p += 8 + b.length;
  }
  return { bytes, offsets };
}

function expectCorrupt(fn: () => unknown, reason: string): DeletionVectorCorruptError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DeletionVectorCorruptError);
    expect(e).toBeInstanceOf(LakehouseError);
    const err = e as DeletionVectorCorruptError;
    expect(err.name).toBe("DeletionVectorCorruptError");
    expect(err.code).toBe("DELTA_DELETION_VECTOR_CHECKSUM_MISMATCH");
    expect(err.params.reason).toBe(reason);
    return err;
  }
  throw new Error("expected a DeletionVectorCorruptError");
}

describe("real table: table-with-dv-small", () => {
  const add = dvAddFromLog();
  const expectedFile = expected.computed.latest.activeFiles.find((f) => f.path === add.path)!;

  it("derives the DV file path from the Z85 UUID", () => {
    expect(dvAbsolutePath(add.deletionVector, TABLE)).toBe(
      `${TABLE}/deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin`,
    );
    expect(dvAbsolutePath(add.deletionVector, `${TABLE}/`)).toBe(dvAbsolutePath(add.deletionVector, TABLE));
  });

  it("decodes the on-disk DV to the rows EXPECTED.json lists", () => {
    const rows = deletedRowIndexes(add.deletionVector, (p) => readFileSync(p), TABLE);
    expect(rows).toEqual(expectedFile.deletionVector!.deletedRowIndexes);
    expect(rows).toEqual([0, 9]);
    expect(rows.length).toBe(expectedFile.deletionVector!.cardinality);
    expect(expectedFile.parquetNumRows - rows.length).toBe(8);
  });

  it("parses the file directly at the descriptor's offset", () => {
    const bytes = readFileSync(dvAbsolutePath(add.deletionVector, TABLE)!);
    const dv = add.deletionVector;
    expect(parseDeletionVectorFile(bytes, dv.offset!, dv.sizeInBytes)).toEqual([0, 9]);
  });

  it("rejects the file when its CRC is corrupted", () => {
    const bytes = Uint8Array.from(readFileSync(dvAbsolutePath(add.deletionVector, TABLE)!));
    bytes[bytes.length - 1] ^= 0xff;
    const err = expectCorrupt(() => parseDeletionVectorFile(bytes, 1, 36, "dv.bin"), "checksum");
    expect(err.message).toMatch(/^\[DELTA_DELETION_VECTOR_CHECKSUM_MISMATCH\] Deletion vector dv\.bin/);
    expect(err.message).toMatch(/re-run the command that wrote it.*\.$/);
    expectCorrupt(() => deletedRowIndexes(add.deletionVector, () => bytes, TABLE), "checksum");
  });

  it("rejects the file when a bitmap byte is flipped (CRC catches it)", () => {
    const bytes = Uint8Array.from(readFileSync(dvAbsolutePath(add.deletionVector, TABLE)!));
    bytes[1 + 4 + 30] ^= 0x01;
    expectCorrupt(() => parseDeletionVectorFile(bytes, 1, 36), "checksum");
  });

  it("rejects a truncated file", () => {
    const bytes = readFileSync(dvAbsolutePath(add.deletionVector, TABLE)!);
    expectCorrupt(() => parseDeletionVectorFile(bytes.subarray(0, bytes.length - 2), 1, 36), "truncated");
  });

  it("rejects a cardinality that disagrees with the log", () => {
    const lying = { ...add.deletionVector, cardinality: 3 };
    expectCorrupt(() => deletedRowIndexes(lying, (p) => readFileSync(p), TABLE), "cardinality");
  });
});

describe("Z85", () => {
  const hello = Uint8Array.from([0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b]);

  it("round-trips the spec's HelloWorld vector", () => {
    expect(z85Encode(hello)).toBe("HelloWorld");
    expect(Array.from(z85Decode("HelloWorld"))).toEqual(Array.from(hello));
  });

  it("round-trips random bytes and the extreme groups", () => {
    const bytes = Uint8Array.from({ length: 400 }, (_, i) => (i * 97 + 13) & 0xff);
    expect(z85Decode(z85Encode(bytes))).toEqual(bytes);
    expect(z85Encode(Uint8Array.from([0, 0, 0, 0, 255, 255, 255, 255]))).toBe("00000%nSc0");
  });

  it("zero-pads input that is not a multiple of 4 bytes", () => {
    const s = z85Encode(Uint8Array.from([1, 2, 3, 4, 5]));
    expect(s).toHaveLength(10);
    expect(Array.from(z85Decode(s))).toEqual([1, 2, 3, 4, 5, 0, 0, 0]);
  });

  it("rejects invalid characters, lengths and overflowing groups", () => {
    expectCorrupt(() => z85Decode('Hello"orld'), "z85");
    expectCorrupt(() => z85Decode("Hello Worl"), "z85");
    expectCorrupt(() => z85Decode("Hellé"), "z85");
    expectCorrupt(() => z85Decode("Hell"), "z85");
    expectCorrupt(() => z85Decode("#####"), "z85");
  });
});

describe("descriptor fields", () => {
  const base = { sizeInBytes: 40, cardinality: 6 };

  it("builds uniqueId with and without offset", () => {
    expect(dvUniqueId({ storageType: "u", pathOrInlineDv: "ab^-aqEH.-t@S}K{vb[*k^", offset: 4, ...base })).toBe(
      "uab^-aqEH.-t@S}K{vb[*k^@4",
    );
    expect(dvUniqueId({ storageType: "i", pathOrInlineDv: "wi5b=", ...base })).toBe("iwi5b=");
    expect(dvUniqueId({ storageType: "u", pathOrInlineDv: "x", offset: 0, ...base })).toBe("ux@0");
  });

  it("resolves the spec's relative path example with a random prefix", () => {
    const dv: DeletionVectorDescriptor = { storageType: "u", pathOrInlineDv: "ab^-aqEH.-t@S}K{vb[*k^", offset: 4, ...base };
    expect(dvAbsolutePath(dv, "s3://mytable")).toBe("s3://mytable/ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin");
  });

  it("resolves absolute paths, stripping file: and URL-decoding", () => {
    const p = (pathOrInlineDv: string) => dvAbsolutePath({ storageType: "p", pathOrInlineDv, ...base }, "/ignored");
    expect(p("s3://mytable/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin")).toBe(
      "s3://mytable/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin",
    );
    expect(p("file:///tmp/my%20table/dv.bin")).toBe("/tmp/my table/dv.bin");
    expect(p("file:/tmp/t/dv.bin")).toBe("/tmp/t/dv.bin");
    expect(p("/tmp/a%253Ab/dv.bin")).toBe("/tmp/a%3Ab/dv.bin");
  });

  it("has no path for inline DVs and rejects too-short relative ids", () => {
    expect(dvAbsolutePath({ storageType: "i", pathOrInlineDv: "HelloWorld", ...base }, "/t")).toBeNull();
    expectCorrupt(() => dvAbsolutePath({ storageType: "u", pathOrInlineDv: "short", ...base }, "/t"), "descriptor");
  });
});

describe("inline DVs", () => {
  it("decodes the spec's inline example (legacy native magic 1681511376)", () => {
    const dv: DeletionVectorDescriptor = {
      storageType: "i",
      pathOrInlineDv: "wi5b=000010000siXQKl0rr91000f55c8Xg0@@D72lkbi5=-{L",
      sizeInBytes: 40,
      cardinality: 6,
    };
    expect(deletedRowIndexes(dv, () => expect.unreachable(), "/t")).toEqual([3, 4, 7, 11, 18, 29]);
  });

  it("round-trips an inline DV built with the encoder, including Z85 padding", () => {
    const rows = [5, 1, 3, 70000, 5, 9];
    const bitmap = encodeRoaringTreemap(rows);
    expect(bitmap.length % 4).not.toBe(0); // exercises the padding path
    const dv: DeletionVectorDescriptor = {
      storageType: "i",
      pathOrInlineDv: z85Encode(bitmap),
      sizeInBytes: bitmap.length,
      cardinality: 5,
    };
    expect(decodeInlineDv(dv.pathOrInlineDv, dv.sizeInBytes)).toEqual([1, 3, 5, 9, 70000]);
    expect(deletedRowIndexes(dv, () => expect.unreachable(), "/t")).toEqual([1, 3, 5, 9, 70000]);
    expect(rows).toEqual([5, 1, 3, 70000, 5, 9]); // input untouched
  });

  it("rejects a sizeInBytes that does not match the text", () => {
    const text = z85Encode(encodeRoaringTreemap([1, 2, 3]));
    expectCorrupt(() => decodeInlineDv(text, 200), "size");
  });
});

describe("RoaringTreemap encoder/decoder", () => {
  it("writes the same bytes Databricks wrote for the real table", () => {
    const bin = readFileSync(join(TABLE, "deletion_vector_61d16c75-6994-46b7-a15b-8b538852e50e.bin"));
    expect(Buffer.from(encodeRoaringTreemap([0, 9]))).toEqual(bin.subarray(5, 5 + 36));
  });

  it("round-trips the empty set", () => {
    expect(decodeRoaringTreemap(encodeRoaringTreemap([]))).toEqual([]);
  });

  it("uses a bitmap container for a chunk with more than 4096 values", () => {
    const dense = Array.from({ length: 5000 }, (_, i) => i * 13); // all in chunk 0 (< 65536)
    const sparse = [65536 + 7, 65536 * 3 + 65535];
    const rows = [...dense, ...sparse];
    const bytes = encodeRoaringTreemap(rows);
    // magic + count + key + cookie + size + 3 * (header + offset) + 8 KiB bitmap + 2 arrays
    expect(bytes.length).toBe(4 + 8 + 4 + 4 + 4 + 3 * 8 + 8192 + 2 + 2);
    expect(decodeRoaringTreemap(bytes)).toEqual(rows);
  });

  it("round-trips a full chunk (65536 values) and the 4096/4097 boundary", () => {
    const full = Array.from({ length: 65536 }, (_, i) => 65536 * 2 + i);
    expect(decodeRoaringTreemap(encodeRoaringTreemap(full))).toEqual(full);
    for (const n of [4096, 4097]) {
      const rows = Array.from({ length: n }, (_, i) => i * 2);
      const bytes = encodeRoaringTreemap(rows);
      expect(bytes.length).toBe(4 + 8 + 4 + 4 + 4 + 8 + (n > 4096 ? 8192 : 2 * n));
      expect(decodeRoaringTreemap(bytes)).toEqual(rows);
    }
  });

  it("round-trips row indexes above 2^32 (several buckets)", () => {
    const rows = [0, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 65536 + 1, 5 * 2 ** 32 + 123456, 2 ** 53 - 1];
    const bytes = encodeRoaringTreemap([...rows].reverse());
    expect(new DataView(bytes.buffer).getUint32(4, true)).toBe(4); // buckets 0, 1, 5, 2^21-1
    expect(decodeRoaringTreemap(bytes)).toEqual(rows);
  });

  it("rejects row indexes that cannot be encoded", () => {
    expectCorrupt(() => encodeRoaringTreemap([-1]), "encode");
    expectCorrupt(() => encodeRoaringTreemap([1.5]), "encode");
    expectCorrupt(() => encodeRoaringTreemap([2 ** 53]), "encode");
  });

  it("decodes run containers (cookie 12347), with and without the offset header", () => {
    // Hand-built: one bucket, one run container {10..14} and one array container {65536+2}.
    const roaring32 = [
      ...u32le(12347 | ((2 - 1) << 16)), // cookie with size-1 in the high half
      0b01, // run flags: container 0 is a run container
      ...u16le(0), ...u16le(5 - 1), // key 0, cardinality 5
      ...u16le(1), ...u16le(1 - 1), // key 1, cardinality 1
      ...u16le(1), ...u16le(10), ...u16le(4), // 1 run: start 10, length-1 4
      ...u16le(2), // array value 2
    ];
    const bytes = Uint8Array.from([...u32le(1681511377), ...u32le(1), ...u32le(0), ...u32le(0), ...roaring32]);
    expect(decodeRoaringTreemap(bytes)).toEqual([10, 11, 12, 13, 14, 65538]);

    // Four containers: the run-cookie format now has an offset header.
    const containers = [0, 1, 2, 3];
    const header = containers.flatMap((k) => [...u16le(k), ...u16le(2 - 1)]);
    const bodyStart = 4 + 1 + header.length + 4 * containers.length;
    const offsets = containers.flatMap((i) => u32le(bodyStart + 6 * i));
    const body = containers.flatMap(() => [...u16le(1), ...u16le(100), ...u16le(1)]);
    const withOffsets = Uint8Array.from([
      ...u32le(1681511377), ...u32le(1), ...u32le(0), ...u32le(0), // magic, 1 bucket, key 0
      ...u32le(12347 | (3 << 16)), 0b1111, ...header, ...offsets, ...body,
    ]);
    expect(decodeRoaringTreemap(withOffsets)).toEqual(containers.flatMap((k) => [k * 65536 + 100, k * 65536 + 101]));
  });

  it("rejects wrong magic, garbage cookies and trailing bytes", () => {
    const good = encodeRoaringTreemap([1, 2, 3]);
    const badMagic = Uint8Array.from(good);
    badMagic[0] = 0;
    expect(expectCorrupt(() => decodeRoaringTreemap(badMagic), "format").message).toMatch(/magic number/);
    const badCookie = Uint8Array.from(good);
    badCookie[16] = 0x39;
    expectCorrupt(() => decodeRoaringTreemap(badCookie), "format");
    expectCorrupt(() => decodeRoaringTreemap(Uint8Array.from([...good, 0])), "format");
    expectCorrupt(() => decodeRoaringTreemap(good.subarray(0, good.length - 1)), "format");
  });
});

describe("DV files", () => {
  it("reads several DVs packed into one file by offset", () => {
    const a = encodeRoaringTreemap([1, 2, 3]);
    const b = encodeRoaringTreemap([2 ** 40, 2 ** 40 + 1]);
    const { bytes, offsets } = dvFile([a, b]);
    expect(parseDeletionVectorFile(bytes, offsets[0]!, a.length)).toEqual([1, 2, 3]);
    expect(parseDeletionVectorFile(bytes, offsets[1]!, b.length)).toEqual([2 ** 40, 2 ** 40 + 1]);
    const dv: DeletionVectorDescriptor = {
      storageType: "p",
      pathOrInlineDv: "file:///data/t/dv.bin",
      offset: offsets[1]!,
      sizeInBytes: b.length,
      cardinality: 2,
    };
    const seen: string[] = [];
    expect(deletedRowIndexes(dv, (p) => (seen.push(p), bytes), "/data/t")).toEqual([2 ** 40, 2 ** 40 + 1]);
    expect(seen).toEqual(["/data/t/dv.bin"]);
  });

  it("rejects a wrong version byte and a size that disagrees with the log", () => {
    const a = encodeRoaringTreemap([7]);
    const { bytes } = dvFile([a]);
    expectCorrupt(() => parseDeletionVectorFile(bytes, 1, a.length - 2), "size");
    const v2 = Uint8Array.from(bytes);
    v2[0] = 2;
    expectCorrupt(() => parseDeletionVectorFile(v2, 1, a.length), "version");
  });

  it("computes the standard CRC-32 check value", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

function u32le(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}
function u16le(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff];
}
