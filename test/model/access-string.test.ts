import {
  ACL_CATEGORIES,
  accessStringToAclArgs,
  parseAccessString,
  validateAccessString,
} from '../../src/model/access-string';

const errors = (s: string) => validateAccessString(s).filter((v) => v.severity === 'error');
const warnings = (s: string) => validateAccessString(s).filter((v) => v.severity === 'warning');

describe('valid access strings (ElastiCache and Valkey documentation examples)', () => {
  test.each([
    'on ~* +@all',
    'on ~app::* -@all +@read',
    'off +get ~keys*',
    'on ~keys* -@all +get',
    'on ~* &* +@all',
    'on ~* allchannels +@all -@dangerous',
    'on ~* +@all -config|set',
    'on ~* +@all -@admin -@dangerous',
    'on %R~app2:* %W~logs:* %RW~app1:*',
    'on +@all ~app1:* (+@read ~app2:*)',
    'on +GET ~key1 (+SET ~key2)',
    'on (~* +get) (~cache:* +set) clearselectors',
    'on allkeys allcommands',
    'on resetkeys ~objects:* resetchannels &news.* nocommands +ping',
    'on ~* -select +select|0',
    'on ~* +json.get +@json',
    'ON ~* +@ALL',
    '  on   ~*   +@all  ',
  ])('%s', (s) => {
    expect(errors(s)).toEqual([]);
    expect(warnings(s)).toEqual([]);
  });

  test('every documented category is known', () => {
    for (const c of ACL_CATEGORIES) {
      expect(errors(`on +@${c} -@${c}`)).toEqual([]);
    }
    expect(ACL_CATEGORIES).toHaveLength(22);
  });

  test("an explicit 'off' user is fine (a disabled default user)", () => {
    expect(validateAccessString('off -@all')).toEqual([]);
  });
});

describe('invalid access strings', () => {
  test('blank is N5', () => {
    const [v] = validateAccessString('   ');
    expect(v).toMatchObject({ rule: 'N5', property: 'accessControl', severity: 'error' });
  });

  test('unknown category names the rule number, position and token', () => {
    const vs = errors('on ~* +@reads');
    expect(vs).toHaveLength(1);
    expect(vs[0]).toMatchObject({ rule: 'S10', property: 'accessControl' });
    expect(vs[0].message).toBe("rule 3 (character 7) '+@reads': unknown ACL category '@reads'.");
    expect(vs[0].fix).toContain('@read');
  });

  test.each(['>secret-password-123', '<secret-password-123', '#' + 'a'.repeat(64), '!' + 'b'.repeat(64)])(
    'password rule %s is refused and never echoed',
    (pw) => {
      const vs = errors(`on ~* +@all ${pw}`);
      expect(vs).toHaveLength(1);
      expect(vs[0].rule).toBe('S10');
      expect(vs[0].message).toContain('passwords (and password hashes) cannot be set');
      expect(vs[0].message).not.toContain(pw.slice(1));
      expect(vs[0].fix).toContain("'passwords'");
    },
  );

  test.each([
    ['reset', 'reset'],
    ['nopass', 'nopass'],
    ['resetpass', 'resetpass'],
  ])('%s is refused', (token) => {
    const vs = errors(`on ~* +@all ${token}`);
    expect(vs).toHaveLength(1);
    expect(vs[0].message).toContain(`'${token}'`);
    expect(vs[0].message).toContain('rule 4 (character 13)');
  });

  test('unterminated selector', () => {
    const vs = errors('on (+get ~k');
    expect(vs).toHaveLength(1);
    expect(vs[0].message).toContain("'(' is never closed");
  });

  test('on/off and clearselectors are not allowed inside a selector', () => {
    const vs = errors('on (on +get ~k) (clearselectors)');
    expect(vs.map((v) => v.message)).toEqual([
      expect.stringContaining("'on' enables the user and is not allowed inside a selector"),
      expect.stringContaining("'clearselectors' removes selectors and is not allowed inside a selector"),
    ]);
  });

  test('passwords inside a selector are refused too', () => {
    expect(errors('on (>abcdefghijklmnop +get)')[0].message).toContain('passwords');
  });

  test('unknown category inside a selector', () => {
    const vs = errors('on (~* +@nope)');
    expect(vs).toHaveLength(1);
    expect(vs[0].message).toBe("selector rule at character 8 '+@nope': unknown ACL category '@nope'.");
  });

  test('nested selector', () => {
    expect(errors('on ((+get ~k))')[0].message).toContain('selectors cannot be nested');
  });

  test.each([
    ['%X~k', 'is not a key permission'],
    ['%~k', 'is not a key permission'],
    ['%RR~k', 'is not a key permission'],
    ['%R', "needs '~'"],
    ['%W~', 'key pattern after the permission is empty'],
  ])('bad key permission %s', (token, what) => {
    const vs = errors(`on ${token} +@all`);
    expect(vs).toHaveLength(1);
    expect(vs[0].message).toContain(what);
  });

  test.each([
    ['+', 'command name is missing'],
    ['-', 'command name is missing'],
    ['+@', 'category name is missing'],
    ['+1get', 'is not a command name'],
    ['+config|', 'subcommand after'],
    ['+a|b|c', "only one '|'"],
  ])('bad command rule %s', (token, what) => {
    const vs = errors(`on ~* ${token}`);
    expect(vs).toHaveLength(1);
    expect(vs[0].message).toContain(what);
  });

  test('a word that is no rule', () => {
    const vs = errors('on ~* +@all readonly');
    expect(vs).toHaveLength(1);
    expect(vs[0].message).toBe("rule 4 (character 13) 'readonly': not an ACL rule.");
  });

  test('a key pattern with a space splits into a bad rule', () => {
    expect(errors('on ~my keys:* +@read')[0].message).toContain("'keys:*': not an ACL rule");
  });

  test('every problem is reported, in order', () => {
    const vs = errors('on +@nope reset >pw +@bad');
    expect(vs.map((v) => v.message.split(' ').slice(0, 2).join(' '))).toEqual(['rule 2', 'rule 3', 'rule 4', 'rule 5']);
  });

  test('the property name can be set', () => {
    expect(validateAccessString('on +@nope', { property: 'AccessString' })[0].property).toBe('AccessString');
  });
});

describe('warnings', () => {
  test('no on/off: the user is created off', () => {
    const vs = validateAccessString('~* +@all');
    expect(vs).toHaveLength(1);
    expect(vs[0]).toMatchObject({ rule: 'S10', severity: 'warning' });
    expect(vs[0].message).toContain('creates the user off');
    expect(vs[0].fix).toContain("'on'");
  });

  test('database permissions', () => {
    const vs = validateAccessString('on ~* +@all db=0,1');
    expect(vs).toHaveLength(1);
    expect(vs[0].severity).toBe('warning');
    expect(errors('on ~* +@all db=a')[0].message).toContain('database numbers');
  });

  test('empty selector and empty key pattern', () => {
    expect(warnings('on () ~ +@all').map((v) => v.message)).toEqual([
      expect.stringContaining('the selector is empty'),
      expect.stringContaining('the key pattern is empty'),
    ]);
  });
});

describe('parseAccessString', () => {
  test('merges selectors and tracks on/off', () => {
    const p = parseAccessString('on ~a (+get ~b) off');
    expect(p.rules.map((r) => r.text)).toEqual(['on', '~a', '(+get ~b)', 'off']);
    expect(p.rules[2].selector!.map((r) => [r.text, r.position])).toEqual([
      ['+get', 7],
      ['~b', 12],
    ]);
    expect(p.enabled).toBe(false);
    expect(p.unterminatedSelector).toBeUndefined();
  });

  test('a closing parenthesis outside a selector is part of a key pattern', () => {
    expect(errors('on ~user(1) +@read')).toEqual([]);
    expect(parseAccessString('on ~a)').rules.map((r) => r.text)).toEqual(['on', '~a)']);
  });

  test('ACL SETUSER arguments', () => {
    expect(accessStringToAclArgs('on ~* (+get ~k1  ~k2) +@all')).toEqual(['on', '~*', '(+get ~k1  ~k2)', '+@all']);
  });
});
