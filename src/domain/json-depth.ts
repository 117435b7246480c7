// How deeply JSON nests, measured without recursion. Recursive walks (JSON.stringify, canonical
// forms, validators) overflow the stack on input a few thousand levels deep, which is only 10 KB of
// `[[[[`; every door refuses such input before any of them runs.

/** No input we accept nests deeper than this (metadata is flat; platform payloads stay under 20). */
export const MAX_JSON_DEPTH = 32;

/** The nesting depth of JSON text, counting brackets outside strings (valid or not, in one pass). */
export function jsonTextDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return deepest;
}

/** Whether a parsed value nests deeper than `max` objects/arrays (iterative, stops early). */
export function nestsDeeperThan(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}
