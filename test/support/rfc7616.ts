/** RFC 7616 §3.9.1: the published example request (user Mufasa, password "Circle of Life"). */
export const RFC = {
  user: 'Mufasa',
  password: 'Circle of Life',
  realm: 'http-auth@example.org',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
  method: 'GET',
  uri: '/dir/index.html',
  nc: '00000001',
};
/** Its response with MD5, as published. */
export const RFC_MD5 = '8ca523f5e9506fed4657c9700eebdbec';
