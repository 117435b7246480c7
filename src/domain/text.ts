// Text folding for search and slugs: "João" and "joao" are the same patient to a receptionist.
export const foldText = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
