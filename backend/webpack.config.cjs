// Bundles the backend into one CommonJS file. Packages stay external (node_modules); Node 22.12+ and 24 load
// NestJS 12's ESM-only packages through require(esm). The @aitrainer/* libs are compiled in.
const path = require('node:path');

const root = path.resolve(__dirname, '..');

module.exports = {
  mode: 'production',
  target: 'node22',
  // upload-worker: the parse worker's entry (worker_threads), loaded by common/uploads/upload-parser.ts beside main.cjs
  entry: { main: path.join(__dirname, 'src/main.ts'), 'upload-worker': path.join(__dirname, 'src/common/uploads/upload.worker.ts') },
  output: { path: path.join(root, 'dist/backend'), filename: '[name].cjs', library: { type: 'commonjs2' }, clean: true },
  devtool: 'source-map',
  optimization: { minimize: false },
  resolve: {
    extensions: ['.ts', '.js'],
    alias: {
      '@aitrainer/certificates': path.join(root, 'libs/certificates/src/index.ts'),
      '@aitrainer/contracts': path.join(root, 'libs/contracts/src/index.ts'),
      '@aitrainer/domain': path.join(root, 'libs/domain/src/index.ts'),
      '@aitrainer/scoring': path.join(root, 'libs/scoring/src/index.ts'),
    },
  },
  externalsPresets: { node: true },
  externals: [
    ({ request }, callback) => {
      if (/^[a-z@][^:]*$/i.test(request) && !request.startsWith('@aitrainer/')) return callback(null, 'commonjs ' + request);
      callback();
    },
  ],
  module: {
    rules: [
      {
        test: /\.ts$/,
        loader: 'ts-loader',
        exclude: /node_modules/,
        options: { transpileOnly: true, configFile: path.join(__dirname, 'tsconfig.app.json'), compilerOptions: { module: 'es2022', noEmit: false } },
      },
    ],
  },
  stats: 'errors-warnings',
};
