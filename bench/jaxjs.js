// The other peer: the same MLP as tfjs.js trained by jax-js, whose jit fuses a whole training step.
// window.bench(backend, {inputs, depth, width, classes, batch, warmupSeconds, seconds}) resolves to
// {backend, samplesPerSecond, steps} or {backend, error}. Random inputs: throughput only.
// jax-js counts references: every call consumes its array arguments, `.ref` keeps one for later.
import { defaultDevice, init, jit, nn, numpy as np, random, tree, valueAndGrad }
  from './node_modules/@jax-js/jax/dist/index.js';

window.bench = async (backend, o) => {
  try {
    if (!(await init(backend)).includes(backend)) return { backend, error: 'backend unavailable' };
    defaultDevice(backend);
    const sizes = [o.inputs, ...Array(o.depth).fill(o.width), o.classes];
    // As tfjs.js: He-uniform for the ReLU layers, Glorot-uniform (the Keras default) for the output.
    let params = sizes.slice(1).map((units, i) => {
      const limit = Math.sqrt(6 / (i < o.depth ? sizes[i] : sizes[i] + units));
      const w = random.uniform(random.key(i), [sizes[i], units], { minval: -limit, maxval: limit });
      return { w, b: np.zeros([units]) };
    });
    const loss = (p, x, y) => {
      let h = x;
      p.forEach(({ w, b }, i) => {
        h = np.dot(h, w).add(b);
        if (i < o.depth) h = nn.relu(h);
      });
      return nn.logSoftmax(h).mul(y).sum().mul(-1 / o.batch);
    };
    // Loss, gradients and the SGD update in one compiled step.
    const step = jit((p, x, y) => {
      const [value, grads] = valueAndGrad(loss)(tree.ref(p), x, y);
      return [value, tree.map((w, g) => w.sub(g.mul(0.01)), p, grads)];
    });
    const x = random.normal(random.key(sizes.length), [o.batch, o.inputs]);
    const labels = random.randint(random.key(sizes.length + 1), { minval: 0, maxval: o.classes, shape: [o.batch] });
    const y = nn.oneHot(labels, o.classes);
    // Each step reads its loss back, like an interactive page that charts every step.
    const run = async (seconds) => {
      const t0 = performance.now();
      let steps = 0;
      while (performance.now() - t0 < seconds * 1000) {
        const [value, next] = step(params, x.ref, y.ref);
        params = next;
        await value.data();
        steps += 1;
      }
      return { steps, ms: performance.now() - t0 };
    };
    await run(o.warmupSeconds);
    const { steps, ms } = await run(o.seconds);
    tree.dispose([params, x, y]);
    step.dispose();
    return { backend, samplesPerSecond: (steps * o.batch) / (ms / 1000), steps };
  } catch (e) {
    return { backend, error: String(e && e.message || e) };
  }
};
