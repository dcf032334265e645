/** lara's data layer: the episode type, dataset format v1 (read/write), sampling and importers. */
export type { Episode, CameraFrames } from './episode.ts';
export { episodeLength } from './episode.ts';
export * from './format.ts';
export { DatasetWriter, type DatasetWriterOptions } from './DatasetWriter.ts';
export { Dataset, type Window, type WindowOptions } from './Dataset.ts';
export { ClipSampler, type ClipRef, type ClipSamplerOptions } from './ClipSampler.ts';
export { writeLatents, type WriteLatentsOptions } from './latents.ts';
export { makeSplits, writeSplits, type Splits } from './split.ts';
export { EpisodeMcapReader } from './mcap/EpisodeMcapReader.ts';
export { importRlds, type RldsOptions } from './import/rlds.ts';
export { importRosbag, extractActions, type RosbagOptions } from './import/rosbag.ts';
export { importVideo, type VideoOptions } from './import/video.ts';
export { importImages, type ImagesOptions } from './import/images.ts';
export { openBag, bagMessages } from './bag/openBag.ts';
export { BagWriter } from './bag/BagWriter.ts';
export { readTfRecords } from './tfrecord/TfRecordReader.ts';
export { decodeExample } from './tfrecord/example.ts';
