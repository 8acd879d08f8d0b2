/** Upload limits per kind of file: the multipart size limit (checked while the body streams in). */
export const MB = 1024 * 1024;

export const UPLOAD_LIMITS = {
  /** Question bank: GIFT, Moodle XML (images included as base64 inside the XML) or the bank CSV template. */
  questionBankText: 20 * MB,
  /** Question bank: the Excel template. */
  questionBankXlsx: 5 * MB,
  /** A school's roster (CSV or .xlsx). */
  roster: 5 * MB,
  /** Labelling: a dataset or Label Studio export, each media file, the labelling config. */
  labellingFile: 50 * MB,
  /** Labelling: a calibration CSV of double-marked answers. */
  calibration: 10 * MB,
} as const;

/** What an .xlsx (a zip container) may hold before it is parsed. */
export interface ZipLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
  /** Uncompressed / compressed, for any entry above `ratioFloorBytes` and for the whole file. */
  maxRatio: number;
  ratioFloorBytes: number;
}

export const XLSX_ZIP_LIMITS: ZipLimits = { maxEntries: 1000, maxEntryBytes: 50 * MB, maxTotalBytes: 100 * MB, maxRatio: 200, ratioFloorBytes: 1 * MB };

/** What the first worksheet of an uploaded workbook may hold. */
export interface SheetLimits {
  maxRows: number;
  maxColumns: number;
  maxCells: number;
  /** Excel's own limit for one cell is 32,767 characters. */
  maxCellChars: number;
}

/** Limits of the worker thread that parses an uploaded file. */
export const PARSE_WORKER_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32, codeRangeSizeMb: 64, stackSizeMb: 4 } as const;
export const PARSE_TIMEOUT_MS = 30_000;
/** Parses at once per API process; further uploads wait their turn. */
export const PARSE_CONCURRENCY = 2;
