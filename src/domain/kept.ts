// Answers of pure work kept by key, a bounded number of them: for what is asked again and again with
// few distinct keys (a number parsed, a day spoken, a clinic's stored settings). When full, all are
// dropped at once and kept anew: the keys in use come straight back, and a hit costs one map lookup.

/** `kept(key, make)`: the answer kept for `key`, or `make()`'s, kept (at most `limit` of them). */
export function keptUpTo<K, V>(limit: number): (key: K, make: () => V) => V {
  const answers = new Map<K, V>();
  return (key, make) => {
    let answer = answers.get(key);
    if (answer === undefined && !answers.has(key)) {
      answer = make();
      if (answers.size >= limit) answers.clear();
      answers.set(key, answer);
    }
    return answer as V;
  };
}
