import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ExamPapersService } from '../exam-papers.service';

/**
 * In worker processes: at boot, draws the papers missing for registrations of sessions not yet ended (registrations
 * made before papers were drawn ahead, or whose draw failed), in the background. Several workers doing it at once
 * is harmless (one paper per registration and part, by the unique key); a paper still missing is drawn at the start.
 */
@Injectable()
export class DrawMissingPapersOnBoot implements OnApplicationBootstrap {
  private readonly logger = new Logger('ExamPapers');

  constructor(private readonly papers: ExamPapersService) {}

  onApplicationBootstrap(): void {
    void this.papers.drawMissing().then(
      (n) => n && this.logger.log(`drew the missing papers of ${n} registration(s)`),
      (e: unknown) => this.logger.warn(`missing papers not drawn at boot (${(e as Error).message}); they are drawn at the start`),
    );
  }
}
