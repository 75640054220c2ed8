//! Micro-benchmark (no criterion): the quality panel and search over a
//! 2,000-segment transcript, beside a baseline that only walks the
//! segments summing their text lengths, timed in the same runs so machine
//! noise shows in both. `cargo bench -p relato-review --bench quality`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use relato_review::{quality, search, Annotation, Phase, Segment, Speaker, Tier, Transcript};

const SEGMENTS: usize = 2000;
const RUNS: usize = 50;

const CHILD: &[&str] = &[
    "Fuimos a la casa de mi tío y había una cámara grande.",
    "Me dijo que era un juego y que no le contara a nadie.",
    "Estábamos en el cuarto de atrás [pausa] y luego llegó mi prima.",
    "No me acuerdo bien, creo que era en la noche.",
    "Nos daba dulces y nos tomaba fotos con el celular.",
];
const INTERVIEWER: &[&str] = &[
    "Cuéntame más sobre eso.",
    "Ajá.",
    "¿Y luego qué pasó?",
    "¿Dónde estaba tu mamá?",
    "¿Fue de día o de noche?",
    "Dijiste que había una cámara. Cuéntame todo sobre la cámara.",
];
const CODES: &[&str] = &["invitation", "facilitator", "invitation", "directive", "option_posing", "cued_invitation"];

fn build() -> (Transcript, Vec<Annotation>, Vec<(u64, Phase)>) {
    let mut segments = Vec::with_capacity(SEGMENTS);
    let mut annotations = Vec::new();
    let mut t = 0u64;
    for k in 0..SEGMENTS {
        // Mostly alternating, with runs of child speech now and then.
        let child = k % 2 == 1 || k % 7 == 0;
        let (speaker, text) = if child {
            (Speaker::Child, CHILD[k % CHILD.len()])
        } else {
            (Speaker::Interviewer, INTERVIEWER[k % INTERVIEWER.len()])
        };
        let length = 800 + (k as u64 * 7919) % 9000;
        let id = format!("s{k}");
        if !child {
            annotations.push(Annotation {
                id: format!("p{k}"),
                tier: Tier::PromptType,
                start_ms: t,
                end_ms: t + length,
                code: CODES[k % CODES.len()].to_owned(),
                segment_id: Some(id.clone()),
                note: (k % 10 == 0).then(|| "revisar: menciona una cámara".to_owned()),
                target_id: None,
            });
        }
        segments.push(Segment::new(id, t, t + length, speaker, text));
        t += length + 300;
    }
    let phases = vec![(0, Phase::Rapport), (t / 10, Phase::FreeNarrative), (t / 2, Phase::Clarification), (t * 9 / 10, Phase::Closing)];
    (Transcript { segments }, annotations, phases)
}

fn median_and_spread(mut samples: Vec<Duration>) -> (Duration, Duration, Duration) {
    samples.sort();
    (samples[samples.len() / 2], samples[0], samples[samples.len() - 1])
}

fn main() {
    let (transcript, annotations, phases) = build();
    assert_eq!(transcript.validate(), Ok(()));
    let mut report_times = Vec::with_capacity(RUNS);
    let mut search_times = Vec::with_capacity(RUNS);
    let mut baseline_times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        let total: usize = black_box(&transcript).segments.iter().map(|s| s.text.len()).sum();
        black_box(total);
        baseline_times.push(t.elapsed());

        let t = Instant::now();
        black_box(quality::report(black_box(&transcript), &annotations, &phases));
        report_times.push(t.elapsed());

        let t = Instant::now();
        black_box(search(black_box("camara"), &transcript.segments, &annotations));
        search_times.push(t.elapsed());
    }
    let (base, base_min, base_max) = median_and_spread(baseline_times);
    println!("{SEGMENTS} segments, {} annotations, {RUNS} runs (median [min … max])", annotations.len());
    println!("{:<18}{:>12?}   [{:?} … {:?}]", "baseline (sum len)", base, base_min, base_max);
    for (name, samples) in [("quality::report", report_times), ("search \"camara\"", search_times)] {
        let (median, min, max) = median_and_spread(samples);
        println!(
            "{name:<18}{median:>12?}   [{min:?} … {max:?}]   {:.0}× baseline",
            median.as_secs_f64() / base.as_secs_f64().max(1e-9)
        );
    }
}
