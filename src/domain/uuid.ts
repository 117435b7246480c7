// The ids this service makes (crypto.randomUUID): lowercase, hyphenated. What has another shape
// names nothing of ours, so it is refused before anything is looked up.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const isUuid = (text: string) => UUID.test(text);
