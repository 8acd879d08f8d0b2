import { Injectable } from '@nestjs/common';

/** The server's clock for progress; tests replace `now` to move time without waiting. */
@Injectable()
export class CourseClock {
  now(): Date {
    return new Date();
  }
}
