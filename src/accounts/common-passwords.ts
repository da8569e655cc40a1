// The most common passwords (and a few this site invites): refused at registration, as ASVS 6.2 asks.
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '123456', 'password', '12345678', 'qwerty', '123456789', '12345', '1234', '111111', '1234567', 'dragon',
  '123123', 'baseball', 'abc123', 'football', 'monkey', 'letmein', '696969', 'shadow', 'master', '666666',
  'qwertyuiop', '123321', 'mustang', '1234567890', 'michael', '654321', 'superman', '1qaz2wsx', '7777777', '121212',
  '000000', 'qazwsx', '123qwe', 'killer', 'trustno1', 'jordan', 'jennifer', 'zxcvbnm', 'asdfgh', 'hunter',
  'buster', 'soccer', 'harley', 'batman', 'andrew', 'tigger', 'sunshine', 'iloveyou', '2000', 'charlie',
  'robert', 'thomas', 'hockey', 'ranger', 'daniel', 'starwars', 'klaster', '112233', 'george', 'computer',
  'michelle', 'jessica', 'pepper', '1111', 'zxcvbn', '555555', '11111111', '131313', 'freedom', '777777',
  'pass', 'maggie', '159753', 'aaaaaa', 'ginger', 'princess', 'joshua', 'cheese', 'amanda', 'summer',
  'love', 'ashley', 'nicole', 'chelsea', 'biteme', 'matthew', 'access', 'yankees', '987654321', 'dallas',
  'austin', 'thunder', 'taylor', 'matrix', 'password1', 'password123', 'password12', 'passw0rd', 'p@ssw0rd', 'p@ssword',
  'welcome', 'welcome1', 'welcome123', 'admin', 'admin123', 'administrator', 'root', 'toor', 'qwerty123', 'qwerty1',
  '1q2w3e4r', '1q2w3e4r5t', '12341234', '11223344', '123123123', 'abcd1234', 'abcdefgh', 'iloveyou1', 'football1', 'baseball1',
  'letmein1', 'monkey123', 'dragon123', 'sunshine1', 'princess1', 'changeme', 'secret', 'secret123', 'default', 'guest',
  'login', '00000000', '88888888', '99999999', '87654321', 'qwertyui', 'asdfghjk', 'zxcvbnm1', 'q1w2e3r4', 'a1b2c3d4',
  'stereodose', 'stereodose1', 'music123', 'weed420', '420420', 'blazeit', 'ecstasy', 'lsd25', 'shrooms',
]);
