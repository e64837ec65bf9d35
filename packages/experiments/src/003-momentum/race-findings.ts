// The four qualitative findings of the momentum report's §5, as checks on a finished race.

/** One optimizer's run: sampled every few steps (and at 0). */
export interface Lap {
  name: string;
  hyper: string;
  samples: { step: number; ms: number; batchLoss: number; trainLoss: number }[];
  testAccuracy: number;
  totalMs: number;
}

export interface Finding {
  n: number;
  claim: string;
  holds: boolean;
  seen: string;
}

/** Mean training loss over the last five samples (the last 100 steps), less noisy than the last one. */
export function finalLoss(l: Lap): number {
  const tail = l.samples.slice(-5);
  return tail.reduce((a, s) => a + s.trainLoss, 0) / tail.length;
}

/** Sampled intervals in which the training loss went up: the report's "zigs and zags". */
export function rises(l: Lap): number {
  return l.samples.slice(2).filter((s, i) => s.trainLoss > l.samples[i + 1]!.trainLoss).length;
}

/** Checks findings 1–4 of §5 on laps named SGD, SGDM, SGD-NAG, AdaGrad, AdaDelta, RMSProp, Adam. */
export function checkFindings(laps: Lap[], steps: number): Finding[] {
  const by = Object.fromEntries(laps.map((l) => [l.name, l])) as Record<string, Lap>;
  const get = (n: string) => {
    const l = by[n];
    if (!l) throw new Error(`checkFindings: no lap named ${n}; have ${laps.map((x) => x.name).join(', ')}`);
    return l;
  };
  const [sgd, sgdm, nag, adagrad, adadelta, rmsprop, adam] = ['SGD', 'SGDM', 'SGD-NAG', 'AdaGrad', 'AdaDelta', 'RMSProp', 'Adam'].map(get) as Lap[];
  const seven = [sgd!, sgdm!, nag!, adagrad!, adadelta!, rmsprop!, adam!];
  const adaptive = [adagrad!, adadelta!, rmsprop!, adam!];
  const atQuarter = (l: Lap) => l.samples.find((s) => s.step >= steps / 4)!.trainLoss;
  const others = seven.filter((l) => l !== adagrad);
  const f = (x: number) => x.toFixed(4);
  const best2 = [...adaptive].sort((a, b) => finalLoss(a) - finalLoss(b)).slice(0, 2);
  return [
    {
      n: 1,
      claim: 'SGD ends lower than SGDM, SGD-NAG and AdaGrad',
      holds: [sgdm!, nag!, adagrad!].every((l) => finalLoss(sgd!) < finalLoss(l)),
      seen: `final training loss SGD ${f(finalLoss(sgd!))}, SGDM ${f(finalLoss(sgdm!))}, SGD-NAG ${f(finalLoss(nag!))}, AdaGrad ${f(finalLoss(adagrad!))}`,
    },
    {
      n: 2,
      claim: 'SGDM and SGD-NAG descend more stably than SGD (fewer zigzags)',
      holds: rises(sgdm!) < rises(sgd!) && rises(nag!) < rises(sgd!),
      seen: `sampled intervals where the training loss rose: SGD ${rises(sgd!)}, SGDM ${rises(sgdm!)}, SGD-NAG ${rises(nag!)} (of ${sgd!.samples.length - 1})`,
    },
    {
      n: 3,
      claim: 'AdaGrad is worst of the seven in descent rate and final loss',
      holds: others.every((l) => finalLoss(l) < finalLoss(adagrad!) && atQuarter(l) < atQuarter(adagrad!)),
      seen: `AdaGrad final ${f(finalLoss(adagrad!))} (worst other ${f(Math.max(...others.map(finalLoss)))}); at step ${steps / 4}: ${f(atQuarter(adagrad!))} (worst other ${f(Math.max(...others.map(atQuarter)))})`,
    },
    {
      n: 4,
      claim: 'Adam and RMSProp are the best adaptive methods, Adam the more stable',
      holds: best2.includes(adam!) && best2.includes(rmsprop!) && rises(adam!) < rises(rmsprop!),
      seen: `final: ${adaptive.map((l) => `${l.name} ${f(finalLoss(l))}`).join(', ')}; rises: Adam ${rises(adam!)}, RMSProp ${rises(rmsprop!)}`,
    },
  ];
}
