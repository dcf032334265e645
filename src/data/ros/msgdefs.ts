/**
 * ROS 1 message definitions (from @foxglove/rosmsg-msgs-common) with their full gendeps text and
 * md5sum, plus cached serializers. Used by the MCAP episode files and the bag writer.
 */
import { ros1 } from '@foxglove/rosmsg-msgs-common';
import { stringify, md5 } from '@foxglove/rosmsg';
import { MessageReader, MessageWriter } from '@foxglove/rosmsg-serialization';
import type { MessageDefinition } from '@foxglove/message-definition';

export interface RosType {
  name: string;
  /** The type and every type it depends on, the type first. */
  definitions: MessageDefinition[];
  /** Full message_definition text (gendeps --cat style). */
  text: string;
  md5: string;
  writer: MessageWriter;
  reader: MessageReader;
}

const all = ros1 as unknown as Record<string, MessageDefinition>;
const cache = new Map<string, RosType>();

function collect(name: string, seen: Set<string>, out: MessageDefinition[]): void {
  const d = all[name];
  if (!d) throw new Error(`unknown ROS message type ${name}`);
  seen.add(name);
  out.push(d);
  for (const f of d.definitions) if (f.isComplex && !seen.has(f.type)) collect(f.type, seen, out);
}

/** A ROS 1 message type by name, e.g. 'sensor_msgs/CompressedImage'. */
export function rosType(name: string): RosType {
  let t = cache.get(name);
  if (!t) {
    const definitions: MessageDefinition[] = [];
    collect(name, new Set(), definitions);
    t = {
      name,
      definitions,
      text: stringify(definitions),
      md5: md5(definitions),
      writer: new MessageWriter(definitions),
      reader: new MessageReader(definitions),
    };
    cache.set(name, t);
  }
  return t;
}

/** ROS time from nanoseconds. */
export function rosTime(ns: bigint): { sec: number; nsec: number } {
  return { sec: Number(ns / 1_000_000_000n), nsec: Number(ns % 1_000_000_000n) };
}
