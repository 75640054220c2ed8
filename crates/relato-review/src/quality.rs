//! The interview-quality panel: figures computed after the fact from the
//! transcript, the prompt-type annotations and the phase boundaries.
//!
//! Every figure carries the ids of the segments it counts, so the panel can
//! link each number to the transcript. Definitions:
//!
//! * **talk time** of a speaker is the union of their segments' spans (a
//!   speaker's own segments never overlap in a valid transcript; the union
//!   keeps the figure right even if they do), **words** are runs of
//!   non-space text with a letter or digit, outside `[…]` transcription
//!   marks (`[pausa]`, `[llora]`, `[inaudible]`);
//! * the **child's share** is child time / (child + interviewer time);
//! * an **interviewer turn** is a maximal run of interviewer segments in
//!   time order (any other speaker's segment ends it); it counts for the
//!   free narrative when its first segment starts in a free-narrative
//!   phase. A phase runs from its boundary to the next one; before the
//!   first boundary there is no phase;
//! * the **prompt-type distribution** counts prompt-type annotations tied
//!   to an existing *interviewer* segment with a known code; others are
//!   listed in `uncounted_prompt_annotations` rather than guessed at;
//! * the **invitation share** is (invitation + cued invitation) / all
//!   counted prompts;
//! * the **first option-posing or suggestive prompt** is the counted
//!   annotation of either type that starts first (its time is the
//!   annotation's start; its text the segment's);
//! * the **longest uninterrupted child narrative** is the longest span from
//!   the start of a child segment to the end of a later one with no
//!   interviewer segment starting in between (other speakers — a noise, a
//!   support person — do not interrupt it; pauses inside it count). An
//!   interviewer's overlapping "mm-hm" does interrupt it: it is a turn.
//!   The earliest wins a tie.
//!
//! [`report`] sorts the segments once (n log n; already sorted input is a
//! single pass for the standard sort) and is linear after that.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::annotation::{Annotation, Tier};
use crate::prompt_type::PromptType;
use crate::transcript::{Segment, Speaker, Transcript};

/// A phase of the interview, set by markers while recording or in review.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Rapport,
    FreeNarrative,
    Clarification,
    Closing,
}

/// Talk time and words of one speaker role.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Talk {
    pub ms: u64,
    pub words: u64,
    pub segment_ids: Vec<String>,
}

/// Interviewer turns inside the free narrative.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Turns {
    pub count: u64,
    /// Each turn's segment ids, in time order.
    pub turns: Vec<Vec<String>>,
}

/// How many counted prompts have one type.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PromptCount {
    pub kind: PromptType,
    pub count: u64,
    pub segment_ids: Vec<String>,
    pub annotation_ids: Vec<String>,
}

/// Invitations (plain and cued) among all counted prompts.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InvitationShare {
    pub invitations: u64,
    pub prompts: u64,
    /// `None` when no prompt is classified yet.
    pub share: Option<f64>,
    pub segment_ids: Vec<String>,
}

/// The first option-posing or suggestive prompt.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FirstLeadingPrompt {
    pub kind: PromptType,
    pub time_ms: u64,
    pub text: String,
    pub segment_id: String,
    pub annotation_id: String,
}

/// The longest stretch of child speech the interviewer did not break.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChildNarrative {
    pub ms: u64,
    pub start_ms: u64,
    pub end_ms: u64,
    pub segment_ids: Vec<String>,
}

/// The panel's figures (milliseconds and counts).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualityReport {
    pub child: Talk,
    pub interviewer: Talk,
    pub other: Talk,
    /// Child time / (child + interviewer time); `None` if neither spoke.
    pub child_share_of_talk: Option<f64>,
    pub free_narrative_interviewer_turns: Turns,
    /// One entry per type, in [`PromptType::ALL`] order (zeros included).
    pub prompt_types: Vec<PromptCount>,
    pub invitation_share: InvitationShare,
    pub first_option_posing_or_suggestive: Option<FirstLeadingPrompt>,
    pub longest_child_narrative: Option<ChildNarrative>,
    /// Prompt-type annotations left out: no segment, an unknown segment or
    /// one not spoken by the interviewer, an unknown code, or a second type
    /// for a segment already counted.
    pub uncounted_prompt_annotations: Vec<String>,
}

/// Computes the panel's figures (see the module docs for definitions).
pub fn report(transcript: &Transcript, annotations: &[Annotation], phases: &[(u64, Phase)]) -> QualityReport {
    let mut order: Vec<&Segment> = transcript.segments.iter().collect();
    order.sort_by_key(|s| (s.start_ms, s.end_ms));

    let mut phases: Vec<(u64, Phase)> = phases.to_vec();
    phases.sort_by_key(|p| p.0);

    let mut child = TalkSum::default();
    let mut interviewer = TalkSum::default();
    let mut other = TalkSum::default();
    let mut turns = Turns::default();
    let mut turn: Option<bool> = None;
    let mut next_phase = 0;
    let mut phase: Option<Phase> = None;
    let mut run: Option<ChildNarrative> = None;
    let mut longest: Option<ChildNarrative> = None;

    for s in &order {
        match s.speaker {
            Speaker::Child => child.add(s),
            Speaker::Interviewer => interviewer.add(s),
            Speaker::Other => other.add(s),
        }

        while next_phase < phases.len() && phases[next_phase].0 <= s.start_ms {
            phase = Some(phases[next_phase].1);
            next_phase += 1;
        }
        // `turn`: inside an interviewer turn, and whether it is counted.
        match (s.speaker, turn) {
            (Speaker::Interviewer, None) => {
                let counted = phase == Some(Phase::FreeNarrative);
                if counted {
                    turns.turns.push(vec![s.id.clone()]);
                    turns.count += 1;
                }
                turn = Some(counted);
            }
            (Speaker::Interviewer, Some(true)) => {
                if let Some(t) = turns.turns.last_mut() {
                    t.push(s.id.clone());
                }
            }
            (Speaker::Interviewer, Some(false)) => {}
            _ => turn = None,
        }

        match s.speaker {
            Speaker::Child => {
                let r = run.get_or_insert_with(|| ChildNarrative {
                    ms: 0,
                    start_ms: s.start_ms,
                    end_ms: s.end_ms,
                    segment_ids: Vec::new(),
                });
                r.end_ms = r.end_ms.max(s.end_ms);
                r.ms = r.end_ms - r.start_ms;
                r.segment_ids.push(s.id.clone());
            }
            Speaker::Interviewer => keep_longest(&mut longest, run.take()),
            Speaker::Other => {}
        }
    }
    keep_longest(&mut longest, run.take());

    let child_share_of_talk = match child.union_ms + interviewer.union_ms {
        0 => None,
        total => Some(child.union_ms as f64 / total as f64),
    };

    let prompts = prompt_figures(&order, annotations);

    QualityReport {
        child: child.finish(),
        interviewer: interviewer.finish(),
        other: other.finish(),
        child_share_of_talk,
        free_narrative_interviewer_turns: turns,
        prompt_types: prompts.counts,
        invitation_share: prompts.invitation_share,
        first_option_posing_or_suggestive: prompts.first_leading,
        longest_child_narrative: longest,
        uncounted_prompt_annotations: prompts.uncounted,
    }
}

fn keep_longest(longest: &mut Option<ChildNarrative>, candidate: Option<ChildNarrative>) {
    if let Some(c) = candidate {
        if longest.as_ref().is_none_or(|l| c.ms > l.ms) {
            *longest = Some(c);
        }
    }
}

/// Running union of one speaker's spans over segments sorted by start.
#[derive(Default)]
struct TalkSum {
    union_ms: u64,
    covered_to: u64,
    words: u64,
    ids: Vec<String>,
}

impl TalkSum {
    fn add(&mut self, s: &Segment) {
        let from = s.start_ms.max(self.covered_to);
        if s.end_ms > from {
            self.union_ms += s.end_ms - from;
        }
        self.covered_to = self.covered_to.max(s.end_ms);
        self.words += count_words(&s.text);
        self.ids.push(s.id.clone());
    }

    fn finish(self) -> Talk {
        Talk { ms: self.union_ms, words: self.words, segment_ids: self.ids }
    }
}

/// Words outside `[…]` marks: runs of non-space text with a letter or digit.
pub fn count_words(text: &str) -> u64 {
    let mut words = 0;
    let mut depth = 0u32;
    let mut in_word = false;
    for c in text.chars() {
        match c {
            '[' => {
                depth += 1;
                in_word = false;
            }
            ']' => {
                depth = depth.saturating_sub(1);
                in_word = false;
            }
            _ if depth > 0 => {}
            _ if c.is_whitespace() => in_word = false,
            _ if c.is_alphanumeric() && !in_word => {
                words += 1;
                in_word = true;
            }
            _ => {}
        }
    }
    words
}

struct PromptFigures {
    counts: Vec<PromptCount>,
    invitation_share: InvitationShare,
    first_leading: Option<FirstLeadingPrompt>,
    uncounted: Vec<String>,
}

fn prompt_figures(order: &[&Segment], annotations: &[Annotation]) -> PromptFigures {
    let position: HashMap<&str, usize> = order.iter().enumerate().map(|(k, s)| (s.id.as_str(), k)).collect();
    let mut counted: Vec<(usize, &Annotation, PromptType)> = Vec::new();
    let mut uncounted = Vec::new();
    for a in annotations.iter().filter(|a| a.tier == Tier::PromptType) {
        let at = a.segment_id.as_deref().and_then(|id| position.get(id).copied());
        let kind = PromptType::from_code(&a.code);
        match (at, kind) {
            (Some(at), Some(kind)) if order[at].speaker == Speaker::Interviewer => counted.push((at, a, kind)),
            _ => uncounted.push(a.id.clone()),
        }
    }
    counted.sort_by(|x, y| (x.0, x.1.start_ms, &x.1.id).cmp(&(y.0, y.1.start_ms, &y.1.id)));
    // One type per prompt: a second annotation of the same segment is left
    // out (the store refuses to create one; older data may hold one).
    let mut seen = std::collections::HashSet::new();
    counted.retain(|&(at, a, _)| {
        let first = seen.insert(at);
        if !first {
            uncounted.push(a.id.clone());
        }
        first
    });

    let mut counts: Vec<PromptCount> = PromptType::ALL
        .into_iter()
        .map(|kind| PromptCount { kind, count: 0, segment_ids: Vec::new(), annotation_ids: Vec::new() })
        .collect();
    let mut share = InvitationShare::default();
    let mut first: Option<(u64, usize, &Annotation, PromptType)> = None;
    for &(at, a, kind) in &counted {
        let slot = &mut counts[PromptType::ALL.iter().position(|t| *t == kind).unwrap_or(0)];
        slot.count += 1;
        slot.segment_ids.push(order[at].id.clone());
        slot.annotation_ids.push(a.id.clone());
        share.prompts += 1;
        if matches!(kind, PromptType::Invitation | PromptType::CuedInvitation) {
            share.invitations += 1;
            share.segment_ids.push(order[at].id.clone());
        }
        // Timed by the segment as it stands, not by the span the
        // annotation was saved with (the segment's times may have moved).
        let start = order[at].start_ms;
        if matches!(kind, PromptType::OptionPosing | PromptType::Suggestive) && first.is_none_or(|(t, p, _, _)| (start, at) < (t, p)) {
            first = Some((start, at, a, kind));
        }
    }
    if share.prompts > 0 {
        share.share = Some(share.invitations as f64 / share.prompts as f64);
    }
    PromptFigures {
        counts,
        invitation_share: share,
        first_leading: first.map(|(time_ms, at, a, kind)| FirstLeadingPrompt {
            kind,
            time_ms,
            text: order[at].text.clone(),
            segment_id: order[at].id.clone(),
            annotation_id: a.id.clone(),
        }),
        uncounted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(id: &str, start: u64, end: u64, speaker: Speaker, text: &str) -> Segment {
        Segment::new(id, start, end, speaker, text)
    }

    fn prompt(id: &str, segment: Option<&str>, start: u64, code: &str) -> Annotation {
        Annotation {
            id: id.into(),
            tier: Tier::PromptType,
            start_ms: start,
            end_ms: start + 1,
            code: code.into(),
            segment_id: segment.map(str::to_owned),
            note: None,
            target_id: None,
        }
    }

    /// A short interview: rapport, free narrative, a clarification.
    fn interview() -> (Transcript, Vec<Annotation>, Vec<(u64, Phase)>) {
        use Speaker::{Child as C, Interviewer as I, Other as O};
        let mut s14 = seg("s14", 48_500, 49_500, I, "Mm-hm.");
        s14.overlaps = true;
        let transcript = Transcript {
            segments: vec![
                seg("s1", 0, 4000, I, "Hola, me llamo Ana. Mi trabajo es platicar con niños."),
                seg("s2", 4500, 6000, C, "Hola."),
                seg("s3", 6500, 9000, I, "Cuéntame todo lo que pasó."),
                seg("s4", 9500, 20_000, C, "Fuimos a la casa de mi tío [pausa] y tenía una cámara."),
                seg("s5", 20_500, 21_000, I, "Ajá."),
                seg("s6", 21_500, 30_000, C, "Nos tomó fotos y luego nos dio dulces."),
                seg("s7", 30_000, 31_000, O, "[ruido de puerta]"),
                seg("s8", 31_000, 36_000, C, "Después nos fuimos a casa."),
                seg("s9", 36_500, 39_000, I, "¿Y luego qué pasó?"),
                seg("s10", 39_000, 41_000, I, "¿Fue en la noche?"),
                seg("s11", 41_500, 43_000, C, "No sé."),
                seg("s12", 44_000, 47_000, I, "Él te tocó, ¿verdad?"),
                seg("s13", 47_500, 49_000, C, "Sí."),
                s14,
            ],
        };
        let mut indicator = prompt("i1", Some("s4"), 18_000, "camera_device");
        indicator.tier = Tier::Indicators;
        let annotations = vec![
            prompt("p12", Some("s12"), 44_000, "suggestive"),
            prompt("p3", Some("s3"), 6500, "invitation"),
            prompt("p5", Some("s5"), 20_500, "facilitator"),
            prompt("p9", Some("s9"), 36_500, "invitation"),
            prompt("p10", Some("s10"), 39_000, "option_posing"),
            prompt("p14", Some("s14"), 48_500, "facilitator"),
            indicator,
            prompt("p99", Some("s4"), 9500, "directive"),
            prompt("p98", None, 1000, "invitation"),
            prompt("p97", Some("s1"), 0, "leading"),
            prompt("p96", Some("gone"), 0, "invitation"),
        ];
        let phases = vec![(44_000, Phase::Clarification), (0, Phase::Rapport), (6000, Phase::FreeNarrative), (60_000, Phase::Closing)];
        (transcript, annotations, phases)
    }

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn figures_of_a_small_interview() {
        let (t, a, p) = interview();
        assert_eq!(t.validate(), Ok(()));
        let r = report(&t, &a, &p);

        // Child: s2 1500 + s4 10500 + s6 8500 + s8 5000 + s11 1500 + s13 1500 = 28500 ms;
        // words 1 + 11 ("[pausa]" not counted) + 8 + 5 + 2 + 1 = 28.
        assert_eq!((r.child.ms, r.child.words), (28_500, 28));
        assert_eq!(r.child.segment_ids, ids(&["s2", "s4", "s6", "s8", "s11", "s13"]));
        // Interviewer: s1 4000 + s3 2500 + s5 500 + s9 2500 + s10 2000 + s12 3000 + s14 1000
        // = 15500 ms; words 10 + 5 + 1 + 4 + 4 + 4 + 1 = 29.
        assert_eq!((r.interviewer.ms, r.interviewer.words), (15_500, 29));
        assert_eq!(r.interviewer.segment_ids.len(), 7);
        // Other: s7, 1000 ms, no words (only a mark).
        assert_eq!((r.other.ms, r.other.words), (1000, 0));
        // 28500 / (28500 + 15500) = 0.6477…
        assert!((r.child_share_of_talk.unwrap() - 28_500.0 / 44_000.0).abs() < 1e-12);

        // Turns: [s1] rapport, [s3] [s5] [s9 s10] free narrative, [s12] [s14] clarification.
        assert_eq!(r.free_narrative_interviewer_turns.count, 3);
        assert_eq!(
            r.free_narrative_interviewer_turns.turns,
            vec![ids(&["s3"]), ids(&["s5"]), ids(&["s9", "s10"])]
        );

        // Counted: invitation s3 s9, facilitator s5 s14, option-posing s10,
        // suggestive s12 = 6; p99 (child segment), p98 (no segment), p97
        // (unknown code), p96 (unknown segment) are left out.
        let by_kind: Vec<(PromptType, u64)> = r.prompt_types.iter().map(|c| (c.kind, c.count)).collect();
        assert_eq!(
            by_kind,
            vec![
                (PromptType::Invitation, 2),
                (PromptType::CuedInvitation, 0),
                (PromptType::Facilitator, 2),
                (PromptType::Directive, 0),
                (PromptType::OptionPosing, 1),
                (PromptType::Suggestive, 1),
            ]
        );
        assert_eq!(r.prompt_types[0].segment_ids, ids(&["s3", "s9"]));
        assert_eq!(r.prompt_types[0].annotation_ids, ids(&["p3", "p9"]));
        assert_eq!(r.uncounted_prompt_annotations, ids(&["p99", "p98", "p97", "p96"]));
        // 2 invitations / 6 prompts.
        assert_eq!((r.invitation_share.invitations, r.invitation_share.prompts), (2, 6));
        assert!((r.invitation_share.share.unwrap() - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(r.invitation_share.segment_ids, ids(&["s3", "s9"]));

        // Option-posing at 39000 comes before the suggestive one at 44000.
        let first = r.first_option_posing_or_suggestive.unwrap();
        assert_eq!(
            (first.kind, first.time_ms, first.text.as_str(), first.segment_id.as_str(), first.annotation_id.as_str()),
            (PromptType::OptionPosing, 39_000, "¿Fue en la noche?", "s10", "p10")
        );

        // Runs: [s2] 1500, [s4] 10500, [s6 s8] (s7 is "other") 21500..36000 = 14500,
        // [s11] 1500, [s13] 1500.
        let longest = r.longest_child_narrative.unwrap();
        assert_eq!((longest.ms, longest.start_ms, longest.end_ms), (14_500, 21_500, 36_000));
        assert_eq!(longest.segment_ids, ids(&["s6", "s8"]));
    }

    #[test]
    fn one_type_per_prompt_and_the_time_is_the_segments_own() {
        let t = Transcript {
            segments: vec![
                Segment::new("s1", 1_000, 2_000, Speaker::Interviewer, "¿Fue en la noche?"),
                Segment::new("s2", 2_000, 5_000, Speaker::Child, "Sí."),
            ],
        };
        // Saved when the segment started at 700; a second type for it too.
        let a = [prompt("p1", Some("s1"), 700, "option_posing"), prompt("p2", Some("s1"), 700, "suggestive")];
        let r = report(&t, &a, &[]);
        assert_eq!(r.invitation_share.prompts, 1, "one prompt, counted once");
        assert_eq!(r.uncounted_prompt_annotations, ids(&["p2"]));
        assert_eq!(r.first_option_posing_or_suggestive.unwrap().time_ms, 1_000, "the segment's start as it stands");
    }

    #[test]
    fn an_empty_transcript_has_no_figures() {
        let r = report(&Transcript::default(), &[], &[]);
        assert_eq!(r.child, Talk::default());
        assert_eq!(r.interviewer, Talk::default());
        assert_eq!(r.child_share_of_talk, None);
        assert_eq!(r.free_narrative_interviewer_turns, Turns::default());
        assert!(r.prompt_types.iter().all(|c| c.count == 0));
        assert_eq!(r.prompt_types.len(), 6);
        assert_eq!(r.invitation_share.share, None);
        assert_eq!(r.first_option_posing_or_suggestive, None);
        assert_eq!(r.longest_child_narrative, None);
        // Annotations without a transcript are all uncounted.
        let r = report(&Transcript::default(), &[prompt("p1", Some("s1"), 0, "invitation")], &[]);
        assert_eq!(r.uncounted_prompt_annotations, ids(&["p1"]));
    }

    #[test]
    fn segment_order_in_the_input_does_not_matter() {
        let (mut t, a, p) = interview();
        let sorted = report(&t, &a, &p);
        t.segments.reverse();
        assert_eq!(report(&t, &a, &p), sorted);
    }

    #[test]
    fn overlapping_time_of_one_speaker_is_counted_once() {
        // 0..4000 and 3000..5000 cover 5000 ms, not 6000.
        let t = Transcript {
            segments: vec![seg("a", 0, 4000, Speaker::Child, "uno"), seg("b", 3000, 5000, Speaker::Child, "dos")],
        };
        let r = report(&t, &[], &[]);
        assert_eq!(r.child.ms, 5000);
        assert_eq!(r.child_share_of_talk, Some(1.0));
        assert_eq!(r.longest_child_narrative.unwrap().ms, 5000);
    }

    #[test]
    fn no_phase_before_the_first_boundary() {
        let t = Transcript {
            segments: vec![
                seg("a", 0, 1000, Speaker::Interviewer, "Hola"),
                seg("b", 2000, 3000, Speaker::Child, "Hola"),
                seg("c", 5000, 6000, Speaker::Interviewer, "Cuéntame"),
            ],
        };
        let r = report(&t, &[], &[(4000, Phase::FreeNarrative)]);
        assert_eq!(r.free_narrative_interviewer_turns.turns, vec![ids(&["c"])]);
        // A turn that starts before the free narrative is not counted, even
        // if it continues into it.
        let t = Transcript {
            segments: vec![seg("a", 0, 1000, Speaker::Interviewer, "x"), seg("b", 4500, 5000, Speaker::Interviewer, "y")],
        };
        assert_eq!(report(&t, &[], &[(4000, Phase::FreeNarrative)]).free_narrative_interviewer_turns.count, 0);
    }

    #[test]
    fn words_skip_marks_and_punctuation() {
        assert_eq!(count_words("Sí, [llora] no… ¿qué? — [pausa 3 s] mm-hm 12"), 5);
        assert_eq!(count_words("[inaudible]"), 0);
        assert_eq!(count_words("  "), 0);
        assert_eq!(count_words("a]b [c"), 2);
    }

    #[test]
    fn the_report_serialises_with_snake_case_ids() {
        let (t, a, p) = interview();
        let json = serde_json::to_value(report(&t, &a, &p)).unwrap();
        assert_eq!(json["prompt_types"][4]["kind"], "option_posing");
        assert_eq!(json["first_option_posing_or_suggestive"]["time_ms"], 39_000);
        assert_eq!(serde_json::to_value(Phase::FreeNarrative).unwrap(), "free_narrative");
    }
}
