/** RFC 7617 Basic credentials; user and password are sent as UTF-8. */
export function basicAuthorization(user: string, password: string): string {
  return 'Basic ' + Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
}
