/**
 * The Teams app package is a plain zip: written and read with jszip. Entries carry a fixed
 * date so the same inputs give the same bytes (a package can be compared with the last one).
 */
import JSZip from 'jszip';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

/** 1980-01-01, the earliest date a zip entry can carry. */
const FIXED_DATE = new Date(Date.UTC(1980, 0, 1));

export async function writeZip(entries: ZipEntry[]): Promise<Buffer> {
  const zip = new JSZip();
  for (const e of entries) zip.file(e.name, e.data, { date: FIXED_DATE, createFolders: false });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 }, platform: 'UNIX' });
}

/** The entries of a zip, each checked against its CRC-32 (a corrupted package throws). */
export async function readZip(bytes: Buffer): Promise<ZipEntry[]> {
  const zip = await JSZip.loadAsync(bytes, { checkCRC32: true });
  const files = Object.values(zip.files).filter((f) => !f.dir);
  return Promise.all(files.map(async (f) => ({ name: f.name, data: await f.async('nodebuffer') })));
}
