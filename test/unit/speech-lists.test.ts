// Lists the voice agent says: one function for every door and tool, in each clinic language.
import { describe, expect, it } from 'vitest';
import { sayList } from '../../src/voice/speech.js';

describe('sayList', () => {
  it('joins alternatives with "or" and companions with "and", in the clinic language', () => {
    expect(sayList(['Ana', 'Rui', 'Inês'], 'pt')).toBe('Ana, Rui ou Inês');
    expect(sayList(['sábado', 'domingo'], 'pt-BR', 'and')).toBe('sábado e domingo');
    expect(sayList(['Monday', 'Tuesday', 'Friday'], 'en', 'and')).toBe('Monday, Tuesday and Friday');
    expect(sayList(['9:00', '10:00'], 'en')).toBe('9:00 or 10:00');
    expect(sayList(['lunes', 'martes'], 'es', 'and')).toBe('lunes y martes');
  });

  it('uses the spelling the language asks for before a like sound (Spanish "u", "e")', () => {
    expect(sayList(['siete', 'ocho'], 'es')).toBe('siete u ocho');
    expect(sayList(['Ana', 'Inés'], 'es', 'and')).toBe('Ana e Inés');
  });

  it('says one item alone and nothing for none', () => {
    expect(sayList(['Ana'], 'pt')).toBe('Ana');
    expect(sayList([], 'en')).toBe('');
  });
});
