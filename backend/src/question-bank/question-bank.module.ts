import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QUESTION_BANK_ENTITIES } from './entities/question.entity';
import { QuestionBankController } from './question-bank.controller';
import { QuestionBankService } from './question-bank.service';

/** Questions with versions and standard tags; the exams context draws papers from it. */
@Module({
  imports: [TypeOrmModule.forFeature(QUESTION_BANK_ENTITIES)],
  controllers: [QuestionBankController],
  providers: [QuestionBankService],
  exports: [QuestionBankService],
})
export class QuestionBankModule {}
