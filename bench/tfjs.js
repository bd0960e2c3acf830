// The peer a reader would otherwise use: the same MLP trained by TensorFlow.js in the same browser.
// window.bench(backend, {inputs, depth, width, classes, batch, warmupSeconds, seconds}) resolves to
// {backend, samplesPerSecond, steps} or {backend, error}. Random inputs: throughput only.
/* global tf */
tf.wasm?.setWasmPaths?.('node_modules/@tensorflow/tfjs-backend-wasm/dist/');

window.bench = async (backend, o) => {
  try {
    const ok = await tf.setBackend(backend);
    if (!ok) return { backend, error: 'backend unavailable' };
    await tf.ready();
    const model = tf.sequential();
    for (let i = 0; i < o.depth; i += 1) {
      model.add(tf.layers.dense({ units: o.width, activation: 'relu', kernelInitializer: 'heUniform',
        ...(i === 0 ? { inputShape: [o.inputs] } : {}) }));
    }
    model.add(tf.layers.dense({ units: o.classes }));
    model.compile({ optimizer: tf.train.sgd(0.01),
      loss: (y, logits) => tf.losses.softmaxCrossEntropy(y, logits) });
    const x = tf.randomNormal([o.batch, o.inputs]);
    const y = tf.oneHot(tf.randomUniform([o.batch], 0, o.classes, 'int32'), o.classes);
    // Each step reads its loss back, like an interactive page that charts every step.
    const run = async (seconds) => {
      const t0 = performance.now();
      let steps = 0;
      while (performance.now() - t0 < seconds * 1000) {
        await model.trainOnBatch(x, y);
        steps += 1;
      }
      return { steps, ms: performance.now() - t0 };
    };
    await run(o.warmupSeconds);
    const { steps, ms } = await run(o.seconds);
    tf.dispose([x, y]);
    model.dispose();
    return { backend, samplesPerSecond: (steps * o.batch) / (ms / 1000), steps };
  } catch (e) {
    return { backend, error: String(e && e.message || e) };
  }
};
