/** What multer (memory storage) hands a route for one uploaded file. */
export interface UploadedFileLike {
  buffer: Buffer;
  originalname: string;
  mimetype: string;
  size: number;
}
