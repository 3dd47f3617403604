// Fuzz: dataset CSVs through the project's CSV reader — Assembly101's fine-grained segment CSV and a Charades-Ego
// annotation CSV (quoted fields with commas and line breaks). Every mutation is read in full or refused with an
// error naming the file.
import { expect, it } from 'vitest';
import { readFineSegments } from '../../main/importers/assembly101/annotations';
import { readCharadesEgoCsv } from '../../main/importers/charadesEgo/charadesCsv';
import { ImportFormatError } from '../../main/importers/common/errors';
import { TextFileError } from '../../main/formats/textLines';
import { describeSummary, fuzz, fuzzIterations } from './fuzzHarness';

const isFormatError = (error: unknown) => error instanceof ImportFormatError || error instanceof TextFileError;

const FINE = [
  'id,video,start_frame,end_frame,action_id,verb_id,noun_id,action_cls,verb_cls,noun_cls,toy_id,toy_name,is_shared,is_RGB',
  '0,nusar-2021_action_both_9011-b06b_9011_user_id_2021-02-01_154253/C10095_rgb.mp4,2,9,0,1,2,clap hand,clap,hand,b06b,toy,0,1',
  '1,nusar-2021_action_both_9011-b06b_9011_user_id_2021-02-01_154253/C10095_rgb.mp4,12,30,1,0,5,pick up screwdriver,pick up,screwdriver,b06b,toy,0,1',
  '2,nusar-2021_action_both_9011-b06b_9011_user_id_2021-02-01_154253/HMC_84346135_mono10bit.mp4,20,44,3,4,26,"unscrew track, with screwdriver",unscrew,track,b06b,toy,0,0',
].join('\r\n');

const CHARADES = [
  'id,subject,scene,quality,relevance,verified,script,objects,descriptions,actions,length,egocentric,charades_video',
  '005BU,P01,Kitchen,6,7,Yes,"A person opens a cupboard, takes a cup.",cup;cupboard,"The person walks in,\nopens the ""cupboard""; then drinks.",c092 11.90 21.20;c147 0.00 12.60,31.5,No,005BU',
  '005BUEGO,P01,Kitchen,6,7,Yes,"A person opens a cupboard.",cup,"Drinks.",c092 10.00 20.00,28,Yes,005BU',
].join('\n');

it('reads every mutated Assembly101 fine-grained CSV or refuses it with an error naming the file', async () => {
  const summary = await fuzz(
    { name: 'csv (Assembly101 fine-grained)', fileName: 'train.csv', valid: () => Buffer.from(FINE), parse: (path) => readFineSegments([path]), isFormatError, text: true },
    { iterations: fuzzIterations(300) },
  );
  console.log(describeSummary(summary));
  expect(summary.parsed + summary.rejected).toBe(summary.iterations);
});

it('reads every mutated Charades-Ego CSV or refuses it with an error naming the file', async () => {
  const summary = await fuzz(
    { name: 'csv (Charades-Ego)', fileName: 'CharadesEgo_v1_train.csv', valid: () => Buffer.from(CHARADES), parse: (path) => readCharadesEgoCsv(path), isFormatError, text: true },
    { iterations: fuzzIterations(300) },
  );
  console.log(describeSummary(summary));
  expect(summary.parsed + summary.rejected).toBe(summary.iterations);
});
