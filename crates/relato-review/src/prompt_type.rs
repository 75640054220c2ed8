//! NICHD prompt types and a rule-based suggester for interviewer utterances.
//!
//! The suggester only *proposes* a type for a reviewer to accept or change;
//! nothing calls it to label a segment on its own. Each [`Suggestion`] names
//! the rule that fired, so the UI can say why.
//!
//! # How an utterance is read
//!
//! Text is folded (case, accents, typographic apostrophes; see `fold.rs`),
//! split into words, clauses (at `,` `;` `:` and `¿`) and sentences (at
//! `.` `!` `?` `…`); bracketed transcription marks (`[pausa]`) are skipped.
//! A sentence is a question if it has `?` or `¿`. Its *question scope* is
//! the clause opened by the last `¿`, or else the last clause that starts
//! with a question word or (English) an auxiliary, or else its last clause
//! (an `o …`/`or …` clause joined to the one before). Leading fillers ("y",
//! "bueno", "okay", "so", …) are ignored.
//!
//! Each sentence is classified and the utterance gets the **most leading**
//! type found in any sentence — the one the child has to answer:
//!
//! > suggestive > option-posing > directive > cued invitation > invitation > facilitator
//!
//! so "Tell me what happened. Was it at night?" is option-posing.
//!
//! # Rules, in the order they are tried
//!
//! 1. **Facilitator** (`backchannel`): the whole utterance is acknowledgement
//!    ("ajá", "mm-hm", "okay", "sí", "ya veo", "I see"). With the child's
//!    previous words ([`suggest_after`]), an utterance that only repeats
//!    them (`echo`; pronouns shifted: "mi" → "tu", "my" → "your") is a
//!    facilitator too, even with a question mark — unless it is leading.
//! 2. **Suggestive**: a tag question after a statement (`tag_question`:
//!    ", ¿verdad?", ", ¿no?", ", ¿cierto?", ", ¿no es cierto?", ", ¿o no?",
//!    ", right?", ", didn't he?", "…, did he?", also without the comma for
//!    "verdad"/"cierto" and English aux + pronoun endings); a negative
//!    question (`negative_question`: "¿No te dijo…?", "Didn't he…?",
//!    "Did he not…?"); a leading frame (`leading_frame`: "¿No es cierto
//!    que…?", "¿Verdad que…?", "Isn't it true…?"); information put in the
//!    child's mouth from someone else or from the interviewer's knowledge
//!    (`third_party_report`: "tu mamá me dijo que…", "me dijeron que…",
//!    "yo sé que él…", "your teacher told me…", "I know he…").
//! 3. **Option-posing**: an either/or question (`either_or`: "¿… o …?",
//!    "… or …?", not "o sea", "o algo", "or something"); "dime si…"/"tell
//!    me if…" (`tell_me_if`); a yes/no question (`yes_no`: English
//!    auxiliary first, "Did…", "Was…"; in Spanish any question that is
//!    neither a wh-question nor an invitation, "¿Te dolió?", "¿Él te…?");
//!    an English declarative question (`declarative_question`: "He took
//!    pictures?").
//! 4. **Directive**: a wh-question (`wh_question`: qué, quién, dónde,
//!    cuándo, cómo, cuál, cuánto, por qué, with a preposition before them
//!    — "¿con quién…?" — or a topic before an *accented* one — "¿Y tu
//!    mamá dónde estaba?"; who, what, where, when, why, how, which, whose),
//!    also embedded ("¿Te acuerdas de qué color…?", "Do you remember
//!    where…?", "Tell me where…"; `indirect_wh_question`).
//! 5. **Invitation / cued invitation**: an open request — "cuéntame",
//!    "platícame", "dime", "descríbeme", "háblame de", "quiero que me
//!    cuentes", "¿me puedes contar…?", "tell me", "describe", "can you tell
//!    me…" — or an open wh-form: "¿qué pasó?", "¿y luego qué pasó?",
//!    "¿qué más?", "what happened next?", "what else do you remember?",
//!    "¿y después?", "and then?". It is **cued** when what follows names a
//!    detail (`…_about_detail`: a content word beyond function words and
//!    open words such as "más", "todo", "eso", "everything", "that part":
//!    "cuéntame más del carro", "what happened when you got home?") or
//!    when the utterance cites the child (`invitation_citing_child`:
//!    "dijiste que…", "mencionaste…", "you said…", "you mentioned…").
//!
//! Not a prompt (no suggestion): statements, thanks, ground rules phrased
//! as conditionals ("Si no sabes, dime «no sé»", "If I get something
//! wrong, tell me"), "tell me the truth".
//!
//! # Known limits
//!
//! Rules read the form, not the interview, so they cannot see:
//!
//! * **presupposition of undisclosed facts**: "¿Cuántas veces te tocó?",
//!   "Where did he touch you?", "Tell me about when he hurt you" are
//!   suggestive only if the child has not mentioned the touching; the
//!   suggester sees a directive / cued invitation. Likewise "Did he touch
//!   your private parts?" is option-posing or suggestive depending on what
//!   was disclosed.
//! * whether a cued invitation's cue really came from the child ("Tell me
//!   more about the camera" introduces the camera if the child never
//!   mentioned one).
//! * repetitions, without the child's previous words (use
//!   [`suggest_after`]); with them, only near-verbatim repetition (verb
//!   person changes such as "fui" → "fuiste" are not recognised).
//! * Spanish yes/no questions written without `?`/`¿` ("te dolió") look
//!   like statements and get no suggestion; a wh-word not first in the
//!   question counts only when written with its accent ("¿Y tu mamá donde
//!   estaba?" reads as yes/no).
//! * intonation and tone: "¿Sí?" may be a facilitator or a doubt; coercion
//!   without question form ("You'll feel better if you tell me", "Otros
//!   niños me lo han contado") is only caught when it reports someone
//!   else's words.
//! * NICHD's transition "Tell me why you came to talk to me" is an
//!   invitation there, but reads as an embedded wh-question (directive).
//! * ambiguous forms the table therefore leaves out: "What happened to
//!   your arm?" (directive or cued invitation), "What else did he do?",
//!   "Is there anything else you want to tell me?", "Tell me more about
//!   him" (a pronoun counts as anaphora, so invitation), NICHD's transition
//!   "I heard you talked to the doctor…", and rapport sentences that quote
//!   a parent ("Tu mamá me dijo que te gusta dibujar") — those are flagged
//!   suggestive.

use serde::{Deserialize, Serialize};

use crate::fold::fold;
use crate::transcript::{Speaker, Transcript};

/// The NICHD taxonomy of interviewer prompts.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromptType {
    Invitation,
    CuedInvitation,
    Facilitator,
    Directive,
    OptionPosing,
    Suggestive,
}

impl PromptType {
    /// All types, in the panel's order.
    pub const ALL: [PromptType; 6] = [
        Self::Invitation,
        Self::CuedInvitation,
        Self::Facilitator,
        Self::Directive,
        Self::OptionPosing,
        Self::Suggestive,
    ];

    /// The code stored in prompt-type annotations (`option_posing`, …).
    pub fn code(self) -> &'static str {
        match self {
            Self::Invitation => "invitation",
            Self::CuedInvitation => "cued_invitation",
            Self::Facilitator => "facilitator",
            Self::Directive => "directive",
            Self::OptionPosing => "option_posing",
            Self::Suggestive => "suggestive",
        }
    }

    /// The type whose [`code`](Self::code) is `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    /// How strongly the prompt steers the answer; the suggester keeps the
    /// highest in an utterance.
    fn leading_rank(self) -> u8 {
        match self {
            Self::Facilitator => 0,
            Self::Invitation => 1,
            Self::CuedInvitation => 2,
            Self::Directive => 3,
            Self::OptionPosing => 4,
            Self::Suggestive => 5,
        }
    }
}

/// The language of the utterance.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    Es,
    En,
}

/// A proposed type and the rule that proposed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub kind: PromptType,
    pub rule: &'static str,
}

/// Proposes a prompt type for an interviewer utterance, or `None` when the
/// utterance is not recognisably a prompt.
pub fn suggest(text: &str, lang: Lang) -> Option<Suggestion> {
    suggest_after(text, None, lang)
}

/// A suggestion for one interviewer segment of a transcript.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SegmentSuggestion {
    pub segment_id: String,
    pub kind: PromptType,
    pub rule: &'static str,
}

/// Suggestions for every interviewer segment the rules recognise, in
/// transcript order, each read after the child's last words before it.
/// Proposals only: nothing here becomes an annotation by itself.
pub fn suggest_transcript(transcript: &Transcript, lang: Lang) -> Vec<SegmentSuggestion> {
    let mut child_said: Option<&str> = None;
    let mut out = Vec::new();
    for segment in &transcript.segments {
        match segment.speaker {
            Speaker::Child => child_said = Some(&segment.text),
            Speaker::Interviewer => {
                if let Some(s) = suggest_after(&segment.text, child_said, lang) {
                    out.push(SegmentSuggestion { segment_id: segment.id.clone(), kind: s.kind, rule: s.rule });
                }
            }
            Speaker::Other => {}
        }
    }
    out
}

/// Like [`suggest`], knowing what the child said just before (to recognise
/// a repetition of the child's words as a facilitator).
pub fn suggest_after(text: &str, child_said: Option<&str>, lang: Lang) -> Option<Suggestion> {
    let rules = rules(lang);
    let sentences = read(text);
    let words: Vec<&str> = sentences
        .iter()
        .flat_map(|s| s.clauses.iter().flat_map(|c| c.words.iter().map(|w| w.text.as_str())))
        .collect();
    if words.is_empty() {
        return None;
    }
    if consumed_by(&words, rules.backchannel) {
        return Some(Suggestion { kind: PromptType::Facilitator, rule: "backchannel" });
    }
    if has_third_party_report(&words, rules) {
        return Some(Suggestion { kind: PromptType::Suggestive, rule: "third_party_report" });
    }
    let mut best: Option<Suggestion> = None;
    for sentence in &sentences {
        if let Some(found) = classify_sentence(sentence, rules) {
            if best.is_none_or(|b| found.kind.leading_rank() > b.kind.leading_rank()) {
                best = Some(found);
            }
        }
    }
    if best.is_some_and(|b| b.kind == PromptType::Suggestive) {
        return best;
    }
    if let Some(child) = child_said {
        if is_echo(&words, child, rules) {
            return Some(Suggestion { kind: PromptType::Facilitator, rule: "echo" });
        }
    }
    match best {
        Some(b) if b.kind == PromptType::Invitation && contains_any(&words, rules.child_mention) => {
            Some(Suggestion { kind: PromptType::CuedInvitation, rule: "invitation_citing_child" })
        }
        other => other,
    }
}

// ---------------------------------------------------------------------------
// Reading: words, clauses, sentences.

struct Word {
    /// Folded.
    text: String,
    /// Written with an interrogative accent ("dónde", not "donde").
    accented_wh: bool,
}

#[derive(Default)]
struct Clause {
    words: Vec<Word>,
    /// Opened by "¿".
    opened: bool,
}

#[derive(Default)]
struct Sentence {
    clauses: Vec<Clause>,
    /// Ended by "?".
    closed: bool,
}

impl Sentence {
    fn is_question(&self) -> bool {
        self.closed || self.clauses.iter().any(|c| c.opened)
    }
}

const ACCENTED_WH: &[&str] = &[
    "qué", "quién", "quiénes", "dónde", "adónde", "cuándo", "cómo", "cuál", "cuáles", "cuánto", "cuánta", "cuántos",
    "cuántas",
];

fn read(text: &str) -> Vec<Sentence> {
    let mut sentences = vec![Sentence::default()];
    let mut clause = Clause::default();
    let mut word = String::new();
    let mut in_brackets = false;

    fn end_word(word: &mut String, clause: &mut Clause) {
        let trimmed = word.trim_end_matches(['\'', '’', '-']);
        if !trimmed.is_empty() {
            let lower = trimmed.to_lowercase();
            clause.words.push(Word { text: fold(trimmed), accented_wh: ACCENTED_WH.contains(&lower.as_str()) });
        }
        word.clear();
    }
    fn end_clause(clause: &mut Clause, sentences: &mut [Sentence]) {
        let done = std::mem::take(clause);
        if !done.words.is_empty() || done.opened {
            if let Some(s) = sentences.last_mut() {
                s.clauses.push(done);
            }
        }
    }

    for c in text.chars() {
        if in_brackets {
            in_brackets = c != ']';
            continue;
        }
        if c.is_alphanumeric() || (matches!(c, '\'' | '’' | '-') && !word.is_empty()) {
            word.push(c);
            continue;
        }
        end_word(&mut word, &mut clause);
        match c {
            '[' => in_brackets = true,
            ',' | ';' | ':' | '—' | '–' => end_clause(&mut clause, &mut sentences),
            '¿' => {
                end_clause(&mut clause, &mut sentences);
                clause.opened = true;
            }
            '?' | '.' | '!' | '…' => {
                end_clause(&mut clause, &mut sentences);
                let last = sentences.last_mut().expect("never empty");
                if c == '?' {
                    last.closed = true;
                }
                if !last.clauses.is_empty() {
                    sentences.push(Sentence::default());
                }
            }
            _ => {}
        }
    }
    end_word(&mut word, &mut clause);
    end_clause(&mut clause, &mut sentences);
    sentences.retain(|s| s.clauses.iter().any(|c| !c.words.is_empty()));
    sentences
}

// ---------------------------------------------------------------------------
// Word lists.

struct Rules {
    lang: Lang,
    /// Acknowledgements; an utterance made only of these is a facilitator.
    backchannel: &'static [&'static [&'static str]],
    /// Words skipped at the start of a clause.
    fillers: &'static [&'static [&'static str]],
    /// "Then", "after that": skipped too, but remembered ("¿Y después?").
    continuations: &'static [&'static [&'static str]],
    /// Requests for free recall; what follows them is the complement.
    frames: &'static [&'static [&'static str]],
    /// Question words.
    wh: &'static [&'static str],
    /// Prepositions that may come before a question word.
    wh_prepositions: &'static [&'static str],
    /// Open wh-forms ("¿qué pasó?", "what else").
    wh_invitations: &'static [&'static [&'static str]],
    /// "¿Te acuerdas…", "Do you remember…" before an embedded question.
    indirect: &'static [&'static [&'static str]],
    /// "si", "if", "whether".
    if_words: &'static [&'static str],
    first_person: &'static [&'static str],
    auxiliaries: &'static [&'static str],
    negative_auxiliaries: &'static [&'static str],
    tag_pronouns: &'static [&'static str],
    tags: &'static [&'static [&'static str]],
    leading_frames: &'static [&'static [&'static str]],
    or_words: &'static [&'static str],
    /// Words after "o"/"or" that make it no alternative ("o sea").
    not_alternatives: &'static [&'static str],
    conditionals: &'static [&'static str],
    truth: &'static [&'static [&'static str]],
    child_mention: &'static [&'static [&'static str]],
    /// Words that name no detail (function words, "más", "todo", "eso").
    open_words: &'static [&'static str],
    /// Markers that an open request follows ("más", "todo", "sobre").
    open_markers: &'static [&'static str],
    third_parties: &'static [&'static str],
    report_verbs: &'static [&'static [&'static str]],
    report_openers: &'static [&'static [&'static str]],
    /// First- to second-person words, for recognising repetitions.
    person_shift: &'static [(&'static str, &'static str)],
}

fn rules(lang: Lang) -> &'static Rules {
    match lang {
        Lang::Es => &ES,
        Lang::En => &EN,
    }
}

static ES: Rules = Rules {
    lang: Lang::Es,
    backchannel: &[
        &["aja"], &["aha"], &["ajam"], &["mhm"], &["mjm"], &["mm"], &["mmm"], &["mm-hm"], &["hmm"], &["si"], &["ok"],
        &["okay"], &["okey"], &["oki"], &["vale"], &["ya"], &["claro"], &["bien"], &["entiendo"], &["ah"], &["oh"],
        &["ya", "veo"], &["te", "escucho"], &["muy", "bien"], &["esta", "bien"], &["de", "acuerdo"], &["sale"],
    ],
    fillers: &[
        &["y"], &["e"], &["pues"], &["bueno"], &["ok"], &["okay"], &["okey"], &["vale"], &["aja"], &["mhm"], &["mm"],
        &["ya"], &["este"], &["ah"], &["oh"], &["ahora"], &["bien"], &["muy", "bien"], &["a", "ver"], &["oye"],
        &["mira"], &["por", "favor"], &["si"], &["claro"], &["entiendo"], &["ahorita"],
    ],
    continuations: &[
        &["despues", "de", "eso"], &["luego", "de", "eso"], &["despues"], &["luego"], &["entonces"], &["y", "luego"],
        &["y", "despues"], &["y", "entonces"],
    ],
    frames: &[
        &["quiero", "que", "me", "cuentes"], &["quiero", "que", "me", "platiques"], &["quiero", "que", "me", "digas"],
        &["quiero", "que", "me", "expliques"], &["quiero", "que", "me", "hables"],
        &["me", "gustaria", "que", "me", "cuentes"], &["me", "gustaria", "que", "me", "contaras"],
        &["me", "gustaria", "que", "me", "platiques"], &["me", "gustaria", "que", "me", "platicaras"],
        &["me", "puedes", "contar"], &["me", "puedes", "platicar"], &["me", "puedes", "decir"],
        &["me", "puedes", "explicar"], &["me", "podrias", "contar"], &["me", "podrias", "platicar"],
        &["me", "podrias", "decir"], &["me", "quieres", "contar"], &["me", "quieres", "platicar"],
        &["puedes", "contarme"], &["puedes", "platicarme"], &["puedes", "decirme"], &["puedes", "explicarme"],
        &["podrias", "contarme"], &["podrias", "platicarme"], &["podrias", "decirme"], &["quieres", "contarme"],
        &["quieres", "platicarme"], &["cuentame"], &["cuenteme"], &["contame"], &["platicame"], &["platiqueme"],
        &["dime"], &["digame"], &["decime"], &["explicame"], &["expliqueme"], &["describeme"], &["describe"],
        &["describa"], &["hablame", "de"], &["hablame", "sobre"], &["hableme", "de"], &["hablame"],
        &["empieza", "desde", "el", "principio"], &["empieza", "por", "el", "principio"],
        &["comienza", "desde", "el", "principio"],
    ],
    wh: &[
        "que", "quien", "quienes", "donde", "adonde", "cuando", "como", "cual", "cuales", "cuanto", "cuanta", "cuantos",
        "cuantas", "porque",
    ],
    wh_prepositions: &["a", "con", "de", "en", "para", "por", "hasta", "desde", "sobre", "hacia", "contra"],
    wh_invitations: &[
        &["que", "fue", "lo", "que", "paso"], &["que", "paso"], &["que", "sucedio"], &["que", "ocurrio"],
        &["que", "mas"], &["que", "pasa"],
    ],
    indirect: &[
        &["te", "acuerdas", "de"], &["te", "acuerdas"], &["recuerdas"], &["sabes"], &["me", "puedes", "decir"],
        &["tienes", "idea", "de"],
    ],
    if_words: &["si"],
    first_person: &["yo", "me", "mi"],
    auxiliaries: &[],
    negative_auxiliaries: &[],
    tag_pronouns: &[],
    tags: &[
        &["verdad"], &["cierto"], &["no"], &["no", "es", "cierto"], &["no", "es", "verdad"], &["no", "es", "asi"],
        &["o", "no"], &["no", "crees"], &["a", "que", "si"], &["correcto"], &["verdad", "que", "si"],
    ],
    leading_frames: &[
        &["no", "es", "cierto", "que"], &["no", "es", "verdad", "que"], &["verdad", "que"], &["es", "cierto", "que"],
        &["es", "verdad", "que"], &["no", "crees", "que"],
    ],
    or_words: &["o", "u"],
    not_alternatives: &["sea", "algo", "que"],
    conditionals: &["si"],
    truth: &[&["la", "verdad"], &["siempre", "la", "verdad"]],
    child_mention: &[
        &["dijiste"], &["mencionaste"], &["contaste"], &["comentaste"], &["platicaste"], &["hablaste"], &["dices", "que"],
        &["me", "decias"], &["me", "contabas"], &["me", "platicabas"], &["mencionabas"],
    ],
    open_words: &[
        "a", "al", "ante", "con", "de", "del", "desde", "en", "entre", "hasta", "hacia", "para", "por", "sobre", "acerca",
        "tras", "el", "la", "lo", "los", "las", "un", "una", "unos", "unas", "y", "e", "o", "u", "que", "quien", "eso",
        "esto", "ello", "esa", "ese", "este", "esta", "todo", "toda", "todos", "todas", "todito", "mas", "otra", "otro",
        "otras", "otros", "cosa", "cosas", "algo", "detalle", "detalles", "parte", "partes", "vez", "momento", "dia",
        "rato", "principio", "inicio", "comienzo", "final", "fin", "paso", "pasado", "sucedio", "ocurrio", "pasa", "me",
        "te", "se", "le", "nos", "mi", "tu", "ti", "su", "el", "ella", "ellos", "ellas", "despues", "luego", "antes",
        "entonces", "ahi", "alli", "aqui", "recuerdas", "acuerdas", "recuerdes", "acuerdes", "puedas", "puedes",
        "quieras", "sepas", "bien", "ya", "tambien", "cuando", "donde", "como", "poquito", "mucho", "muchos", "mismo",
        "sucedido", "ocurrido", "empezando", "terminando", "poco", "aunque", "sea", "sean", "parezca", "pequena",
        "pequenas", "pequeno", "pequenos", "chiquitas", "chiquitos", "importante", "importantes", "cuentame",
        "platicame", "dime", "pudo", "haber",
    ],
    open_markers: &["mas", "todo", "todito", "sobre", "de", "del", "acerca", "lo", "que"],
    third_parties: &[
        "mama", "mami", "papa", "papi", "madre", "padre", "maestra", "maestro", "doctora", "doctor", "abuela",
        "abuelita", "abuelo", "tia", "tio", "hermana", "hermano", "policia", "psicologa", "psicologo", "alguien",
        "todos", "ninos", "ninas", "ellos", "ellas", "trabajadora", "amiga", "amigo", "prima", "primo",
    ],
    report_verbs: &[
        &["me", "dijo"], &["me", "conto"], &["me", "platico"], &["me", "comento"], &["nos", "dijo"], &["nos", "conto"],
        &["me", "dijeron"], &["me", "contaron"], &["dijo", "que"], &["conto", "que"], &["dijeron", "que"],
        &["contaron", "que"],
    ],
    report_openers: &[
        &["me", "dijeron", "que"], &["me", "contaron", "que"], &["yo", "se", "que"], &["se", "que", "el"],
        &["se", "que", "ella"], &["se", "que", "alguien"], &["se", "que", "ellos"], &["ya", "se", "que"],
    ],
    person_shift: &[
        ("yo", "tu"), ("me", "te"), ("mi", "tu"), ("mis", "tus"), ("conmigo", "contigo"), ("nosotros", "ustedes"),
    ],
};

static EN: Rules = Rules {
    lang: Lang::En,
    backchannel: &[
        &["uh-huh"], &["mm-hm"], &["mm-hmm"], &["mhm"], &["mm"], &["hmm"], &["um-hum"], &["okay"], &["ok"], &["yes"],
        &["yeah"], &["right"], &["alright"], &["all", "right"], &["i", "see"], &["i'm", "listening"],
        &["im", "listening"], &["go", "on"], &["sure"], &["oh"], &["ah"], &["got", "it"],
    ],
    fillers: &[
        &["and"], &["so"], &["ok"], &["okay"], &["alright"], &["all", "right"], &["um"], &["uh"], &["well"], &["now"],
        &["oh"], &["ah"], &["yeah"], &["mm-hm"], &["uh-huh"], &["i", "see"], &["please"], &["right"],
    ],
    continuations: &[&["after", "that"], &["and", "then"], &["then"], &["next"], &["and", "after", "that"]],
    frames: &[
        &["i", "want", "you", "to", "tell", "me"], &["i'd", "like", "you", "to", "tell", "me"],
        &["i", "would", "like", "you", "to", "tell", "me"], &["can", "you", "tell", "me"], &["could", "you", "tell", "me"],
        &["would", "you", "tell", "me"], &["will", "you", "tell", "me"], &["can", "you", "describe"],
        &["could", "you", "describe"], &["tell", "me"], &["tell", "us"], &["describe"], &["explain"],
        &["talk", "to", "me", "about"], &["walk", "me", "through"], &["start", "from", "the", "beginning"],
        &["start", "at", "the", "beginning"],
    ],
    wh: &[
        "what", "who", "whom", "whose", "where", "when", "why", "how", "which", "what's", "who's", "where's", "when's",
        "how's", "whats", "wheres", "where'd", "how'd", "who'd", "what'd",
    ],
    wh_prepositions: &["with", "in", "at", "to", "from", "for", "about", "on", "by"],
    wh_invitations: &[&["what", "happened"], &["what", "else"], &["what", "happens"], &["what", "then"]],
    indirect: &[
        &["do", "you", "remember"], &["can", "you", "remember"], &["do", "you", "know"], &["do", "you", "recall"],
        &["any", "idea"],
    ],
    if_words: &["if", "whether"],
    first_person: &["i", "i'm", "im", "me", "my"],
    auxiliaries: &[
        "do", "does", "did", "is", "are", "was", "were", "am", "have", "has", "had", "can", "could", "will", "would",
        "should", "shall", "may", "might", "must",
    ],
    negative_auxiliaries: &[
        "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "haven't", "hasn't", "hadn't", "can't",
        "cannot", "couldn't", "won't", "wouldn't", "shouldn't", "mustn't", "ain't", "dont", "doesnt", "didnt", "isnt",
        "arent", "wasnt", "werent", "havent", "hasnt", "hadnt", "couldnt", "wouldnt", "shouldnt",
    ],
    tag_pronouns: &["he", "she", "it", "you", "they", "we", "i", "there", "that"],
    tags: &[
        &["right"], &["correct"], &["true"], &["yeah"], &["don't", "you", "think"], &["wouldn't", "you", "say"],
        &["am", "i", "right"], &["isn't", "that", "right"], &["isn't", "that", "true"], &["or", "not"],
    ],
    leading_frames: &[
        &["isn't", "it", "true"], &["is", "it", "true", "that"], &["isn't", "that", "true"], &["don't", "you", "think"],
        &["wouldn't", "you", "say"],
    ],
    or_words: &["or"],
    not_alternatives: &["something", "anything", "not", "what", "so", "whatever"],
    conditionals: &["if"],
    truth: &[&["the", "truth"], &["me", "the", "truth"], &["the", "truth", "always"]],
    child_mention: &[
        &["you", "said"], &["you", "mentioned"], &["you", "told", "me"], &["you", "talked", "about"],
        &["you", "were", "telling", "me"], &["you", "say"], &["you", "were", "talking", "about"],
    ],
    open_words: &[
        "a", "an", "the", "of", "to", "in", "on", "at", "with", "for", "from", "about", "by", "as", "into", "until",
        "till", "up", "and", "or", "but", "so", "then", "next", "after", "afterwards", "before", "that", "this", "it",
        "these", "those", "them", "him", "her", "he", "she", "they", "you", "your", "me", "my", "i", "we", "us", "what",
        "which", "when", "who", "everything", "anything", "something", "all", "more", "else", "other", "thing", "things",
        "detail", "details", "part", "time", "moment", "day", "bit", "little", "whole", "beginning", "start", "end",
        "middle", "happened", "happen", "happens", "going", "on", "remember", "recall", "can", "could", "do", "did",
        "does", "was", "were", "is", "be", "been", "have", "had", "there", "here", "now", "just", "really", "even",
        "very", "okay", "please", "way", "possible", "much", "can't", "think", "everything's", "last", "first", "tell",
        "describe", "explain", "are", "not", "important", "small", "seem", "seems", "might",
    ],
    open_markers: &["more", "everything", "all", "about", "what"],
    third_parties: &[
        "mom", "mommy", "mum", "mother", "dad", "daddy", "father", "teacher", "doctor", "grandma", "grandmother",
        "grandpa", "grandfather", "sister", "brother", "aunt", "uncle", "police", "officer", "someone", "somebody",
        "they", "everybody", "everyone", "kids", "children", "friend", "worker", "counselor", "nurse",
    ],
    report_verbs: &[&["told", "me"], &["told", "us"], &["said"], &["says"], &["tells", "me"], &["told", "the"]],
    report_openers: &[
        &["i", "know", "that", "he"], &["i", "know", "that", "she"], &["i", "know", "he"], &["i", "know", "she"],
        &["i", "know", "they"], &["i", "know", "someone"], &["i", "know", "somebody"], &["i", "heard", "that", "he"],
        &["i", "heard", "he"], &["i", "heard", "she"], &["i", "heard", "that", "she"], &["i", "heard", "someone"],
    ],
    person_shift: &[("i", "you"), ("me", "you"), ("my", "your"), ("mine", "yours"), ("myself", "yourself"), ("i'm", "you're"), ("am", "are")],
};

// ---------------------------------------------------------------------------
// Classification.

fn classify_sentence(sentence: &Sentence, r: &Rules) -> Option<Suggestion> {
    let question = sentence.is_question();
    if question {
        if let Some(rule) = tag_question(sentence, r) {
            return Some(suggestion(PromptType::Suggestive, rule));
        }
    }
    // Clauses that are only fillers ("Okay,") do not count.
    let Some(first) = sentence.clauses.iter().position(|c| !strip_fillers(&words_of(c), r).0.is_empty()) else {
        // Only fillers: "¿Y después?" is still a question.
        return if question { classify_question(&question_scope(sentence, r), true, r) } else { None };
    };
    let clauses = &sentence.clauses[first..];
    // "Si no sabes, …" is a condition; "Sí, cuéntame" (folded alike) is a
    // filler clause of one word.
    let opening = words_of(&clauses[0]);
    let conditional = opening.len() > 1 && r.conditionals.contains(&opening[0]);

    for (k, clause) in clauses.iter().enumerate() {
        let words = words_of(clause);
        let (words, _) = strip_fillers(&words, r);
        if let Some(len) = starts_with_any(&words, r.frames) {
            let mut complement: Vec<&str> = words[len..].to_vec();
            for later in &clauses[k + 1..] {
                complement.extend(words_of(later));
            }
            return classify_complement(&complement, conditional, r);
        }
    }
    if conditional {
        return None;
    }
    if question && clauses.len() > 1 && consumed_by(&words_of(clauses.last()?), r.backchannel) {
        // "Vamos a tomar un descanso, ¿de acuerdo?": checks understanding,
        // asks for nothing.
        return None;
    }
    let scope = if question {
        question_scope(sentence, r)
    } else {
        // Without "?", a clause that opens like a question is one.
        let last = words_of(clauses.last()?);
        let (stripped, _) = strip_fillers(&last, r);
        let first_word = *stripped.first()?;
        let looks_like_question = match r.lang {
            Lang::En => r.wh.contains(&first_word) || r.auxiliaries.contains(&first_word) || r.negative_auxiliaries.contains(&first_word),
            Lang::Es => {
                matches!(first_word, "donde" | "quien" | "quienes" | "cual" | "cuales" | "cuanto" | "cuanta" | "cuantos" | "cuantas")
                    || clauses.last()?.words.iter().find(|w| stripped.first() == Some(&w.text.as_str())).is_some_and(|w| w.accented_wh)
                    || starts_with_any(&stripped, r.wh_invitations).is_some()
            }
        };
        if !looks_like_question {
            return None;
        }
        last_clause_words(clauses)
    };
    classify_question(&scope, question, r)
}

fn suggestion(kind: PromptType, rule: &'static str) -> Suggestion {
    Suggestion { kind, rule }
}

/// Words of the question: from the last "¿" on, or the last clause (joined
/// to the previous one when it starts with "o"/"or").
fn question_scope<'s>(sentence: &'s Sentence, r: &Rules) -> Vec<ScopeWord<'s>> {
    let clauses = &sentence.clauses;
    // Without "¿", the question starts at its question word or auxiliary
    // ("What happened then, after he left?"), else at the last clause.
    let opens_question = |c: &Clause| {
        let words = words_of(c);
        let (words, _) = strip_fillers(&words, r);
        words.first().is_some_and(|w| {
            r.wh.contains(w) || r.auxiliaries.contains(w) || r.negative_auxiliaries.contains(w)
        }) || (words.len() > 1 && r.wh_prepositions.contains(&words[0]) && r.wh.contains(&words[1]))
    };
    let start = match clauses.iter().rposition(|c| c.opened).or_else(|| clauses.iter().rposition(opens_question)) {
        Some(k) => k,
        None => {
            let mut k = clauses.len().saturating_sub(1);
            while k > 0 && clauses[k].words.first().is_some_and(|w| matches!(w.text.as_str(), "o" | "u" | "or")) {
                k -= 1;
            }
            k
        }
    };
    last_clause_words(&clauses[start..])
}

/// A word of a question with its accent flag.
type ScopeWord<'a> = (&'a str, bool);

fn last_clause_words(clauses: &[Clause]) -> Vec<ScopeWord<'_>> {
    // `clauses` here is already the slice to keep.
    clauses.iter().flat_map(|c| c.words.iter().map(|w| (w.text.as_str(), w.accented_wh))).collect()
}

fn classify_question(scope: &[ScopeWord<'_>], question: bool, r: &Rules) -> Option<Suggestion> {
    let plain: Vec<&str> = scope.iter().map(|w| w.0).collect();
    let (words, continued) = strip_fillers(&plain, r);
    let skipped = plain.len() - words.len();
    let flags = &scope[skipped..];
    if words.is_empty() {
        // "¿Y después?", and a bare "¿Y?" / "And?" asking the child to go on.
        let bare_and = matches!(plain.as_slice(), ["y"] | ["and"]);
        return (continued || bare_and).then(|| suggestion(PromptType::Invitation, "and_then"));
    }
    if starts_with_any(&words, r.leading_frames).is_some() {
        return Some(suggestion(PromptType::Suggestive, "leading_frame"));
    }
    if is_negative_question(&words, r) {
        return Some(suggestion(PromptType::Suggestive, "negative_question"));
    }
    if has_alternative(&words, r) {
        return Some(suggestion(PromptType::OptionPosing, "either_or"));
    }
    if continued && words == ["what"] {
        return Some(suggestion(PromptType::Invitation, "and_then"));
    }
    if let Some(found) = classify_wh(&words, r, "wh_question") {
        return Some(found);
    }
    if let Some(len) = starts_with_any(&words, r.indirect) {
        let rest = &words[len..];
        if rest.first().is_some_and(|w| r.if_words.contains(w)) {
            return Some(suggestion(PromptType::OptionPosing, "yes_no"));
        }
        if let Some(found) = classify_wh(rest, r, "indirect_wh_question") {
            return Some(found);
        }
    }
    if r.lang == Lang::Es && flags.iter().take(4).any(|w| w.1) && topic_before_wh(flags) {
        return Some(suggestion(PromptType::Directive, "wh_question"));
    }
    let first = words[0];
    match r.lang {
        Lang::En if r.auxiliaries.contains(&first) => Some(suggestion(PromptType::OptionPosing, "yes_no")),
        Lang::En if question => Some(suggestion(PromptType::OptionPosing, "declarative_question")),
        Lang::Es if question => Some(suggestion(PromptType::OptionPosing, "yes_no")),
        _ => None,
    }
}

/// "¿Y tu mamá dónde estaba?": a short noun phrase, then an accented wh-word.
fn topic_before_wh(words: &[ScopeWord<'_>]) -> bool {
    const CLITICS: &[&str] = &["te", "me", "le", "lo", "la", "se", "nos", "les", "los", "las", "no"];
    for (k, (w, accented)) in words.iter().enumerate().take(4) {
        if *accented {
            return k > 0;
        }
        if k > 0 && CLITICS.contains(w) {
            return false;
        }
    }
    false
}

/// A wh-question: directive, or an open "what happened" form.
fn classify_wh(words: &[&str], r: &Rules, rule: &'static str) -> Option<Suggestion> {
    let mut at = 0;
    if words.len() > 1 && r.wh_prepositions.contains(&words[0]) && r.wh.contains(&words[1]) {
        at = 1;
    }
    // "por qué" folds to "por que"; "porque" is a common misspelling of it.
    let first = *words.get(at)?;
    if !r.wh.contains(&first) {
        return None;
    }
    if at == 0 {
        if let Some(len) = starts_with_any(words, r.wh_invitations) {
            let rest = &words[len..];
            return Some(if has_content(rest, r) {
                suggestion(PromptType::CuedInvitation, "what_happened_about_detail")
            } else {
                suggestion(PromptType::Invitation, "what_happened")
            });
        }
    }
    Some(suggestion(PromptType::Directive, rule))
}

/// What follows "cuéntame" / "tell me".
fn classify_complement(words: &[&str], conditional: bool, r: &Rules) -> Option<Suggestion> {
    let (words, _) = strip_fillers(words, r);
    if conditional && !words.first().is_some_and(|w| r.open_markers.contains(w)) {
        // A ground rule: "Si no sabes, dime «no sé»", "If I'm wrong, tell me".
        return None;
    }
    if r.truth.contains(&words.as_slice()) {
        return None;
    }
    let Some(&first) = words.first() else {
        return Some(suggestion(PromptType::Invitation, "invitation_request"));
    };
    if has_alternative(&words, r) {
        return Some(suggestion(PromptType::OptionPosing, "either_or"));
    }
    if r.if_words.contains(&first) {
        return if words.get(1).is_some_and(|w| r.first_person.contains(w)) {
            None
        } else {
            Some(suggestion(PromptType::OptionPosing, "tell_me_if"))
        };
    }
    if let Some(found) = classify_wh(&words, r, "indirect_wh_question") {
        return Some(found);
    }
    if r.lang == Lang::En && (r.auxiliaries.contains(&first) || r.negative_auxiliaries.contains(&first)) {
        return classify_question(&words.iter().map(|w| (*w, false)).collect::<Vec<_>>(), true, r);
    }
    Some(if has_content(&words, r) {
        suggestion(PromptType::CuedInvitation, "invitation_about_detail")
    } else {
        suggestion(PromptType::Invitation, "invitation_request")
    })
}

fn has_content(words: &[&str], r: &Rules) -> bool {
    words.iter().any(|w| !r.open_words.contains(w) && !w.chars().all(|c| c.is_ascii_digit()))
}

fn is_negative_question(words: &[&str], r: &Rules) -> bool {
    match r.lang {
        Lang::Es => words.len() > 1 && words[0] == "no" && words[1] != "se",
        Lang::En => {
            r.negative_auxiliaries.contains(&words[0])
                || (r.auxiliaries.contains(&words[0]) && words.get(2) == Some(&"not"))
        }
    }
}

fn has_alternative(words: &[&str], r: &Rules) -> bool {
    words.iter().enumerate().any(|(k, w)| {
        k > 0
            && r.or_words.contains(w)
            && words.get(k + 1).is_some_and(|next| !r.not_alternatives.contains(next))
            && words[k - 1] != "whether"
    })
}

/// ", ¿verdad?", ", didn't he?" and their comma-less forms.
fn tag_question(sentence: &Sentence, r: &Rules) -> Option<&'static str> {
    let clauses = &sentence.clauses;
    let last = words_of(clauses.last()?);
    let earlier_has_words = clauses[..clauses.len() - 1]
        .iter()
        .any(|c| !strip_fillers(&words_of(c), r).0.is_empty());
    let is_tag_clause = r.tags.contains(&last.as_slice())
        || (last.len() == 2
            && (r.auxiliaries.contains(&last[0]) || r.negative_auxiliaries.contains(&last[0]))
            && r.tag_pronouns.contains(&last[1]));
    if is_tag_clause && earlier_has_words {
        return Some("tag_question");
    }
    // Without the comma: "he hurt you didn't he?", "te pegó verdad?".
    let (words, _) = strip_fillers(&last, r);
    let n = words.len();
    match r.lang {
        Lang::En if n >= 4 => {
            let starts_as_question = r.auxiliaries.contains(&words[0])
                || r.negative_auxiliaries.contains(&words[0])
                || r.wh.contains(&words[0]);
            let aux_pronoun = (r.auxiliaries.contains(&words[n - 2]) || r.negative_auxiliaries.contains(&words[n - 2]))
                && r.tag_pronouns.contains(&words[n - 1]);
            let right = words[n - 1] == "right";
            (!starts_as_question && (aux_pronoun || right)).then_some("tag_question")
        }
        Lang::Es if n >= 3 => {
            let tag = matches!(words[n - 1], "verdad" | "cierto");
            let copula = matches!(words[n - 2], "es" | "fue" | "esta" | "era" | "la" | "de");
            (tag && !copula).then_some("tag_question")
        }
        _ => None,
    }
}

const REPORT_ADVERBS: &[&str] = &["already", "also", "just", "ya", "tambien"];

/// "Tu mamá me dijo que…", "I know he…": someone else's account, or the
/// interviewer's, offered to the child.
fn has_third_party_report(words: &[&str], r: &Rules) -> bool {
    for k in 0..words.len() {
        if starts_with_any(&words[k..], r.report_openers).is_some() && (k == 0 || words[k - 1] != "no") {
            return true;
        }
        // "tu mamá me dijo", "the kids already told me".
        let reporter = (k > 0 && r.third_parties.contains(&words[k - 1]))
            || (k > 1 && REPORT_ADVERBS.contains(&words[k - 1]) && r.third_parties.contains(&words[k - 2]));
        if reporter && starts_with_any(&words[k..], r.report_verbs).is_some() {
            return true;
        }
    }
    false
}

/// The utterance only repeats the child's words (pronouns shifted).
fn is_echo(words: &[&str], child_said: &str, r: &Rules) -> bool {
    let own: Vec<&str> = {
        let (stripped, _) = strip_fillers(words, r);
        let mut own = stripped.to_vec();
        // Trailing acknowledgements ("en la cocina, ajá") are not content.
        while own.last().is_some_and(|w| r.backchannel.iter().any(|b| b.len() == 1 && b[0] == *w)) {
            own.pop();
        }
        own
    };
    if own.is_empty() || has_alternative(&own, r) {
        return false;
    }
    let child: Vec<String> = read(child_said)
        .iter()
        .flat_map(|s| s.clauses.iter().flat_map(|c| c.words.iter().map(|w| w.text.clone())))
        .map(|w| r.person_shift.iter().find(|(from, _)| *from == w).map_or(w, |(_, to)| (*to).to_owned()))
        .collect();
    child.windows(own.len()).any(|window| window.iter().zip(&own).all(|(a, b)| a == b))
}

// ---------------------------------------------------------------------------
// Small helpers.

fn words_of(clause: &Clause) -> Vec<&str> {
    clause.words.iter().map(|w| w.text.as_str()).collect()
}

/// Drops leading fillers and continuations; says whether a continuation
/// ("luego", "then") was among them.
fn strip_fillers<'w>(words: &[&'w str], r: &Rules) -> (Vec<&'w str>, bool) {
    let mut at = 0;
    let mut continued = false;
    loop {
        if let Some(len) = starts_with_any(&words[at..], r.continuations) {
            at += len;
            continued = true;
        } else if let Some(len) = starts_with_any(&words[at..], r.fillers) {
            at += len;
        } else {
            break;
        }
    }
    (words[at..].to_vec(), continued)
}

/// Length of the longest pattern `words` starts with.
fn starts_with_any(words: &[&str], patterns: &[&[&str]]) -> Option<usize> {
    patterns
        .iter()
        .filter(|p| words.len() >= p.len() && words[..p.len()] == ***p)
        .map(|p| p.len())
        .max()
}

fn contains_any(words: &[&str], patterns: &[&[&str]]) -> bool {
    (0..words.len()).any(|k| starts_with_any(&words[k..], patterns).is_some())
}

/// `words` is entirely a sequence of `phrases`.
fn consumed_by(words: &[&str], phrases: &[&[&str]]) -> bool {
    let mut at = 0;
    while at < words.len() {
        match starts_with_any(&words[at..], phrases) {
            Some(len) => at += len,
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transcript_suggestions_cover_interviewer_segments_only_and_know_the_child_s_words() {
        use crate::transcript::Segment;
        let t = Transcript {
            segments: vec![
                Segment::new("s1", 0, 1_000, Speaker::Interviewer, "Cuéntame todo lo que pasó."),
                Segment::new("s2", 1_000, 5_000, Speaker::Child, "Estábamos en la cocina con mi tío."),
                Segment::new("s3", 5_000, 6_000, Speaker::Interviewer, "En la cocina."),
                Segment::new("s4", 6_000, 7_000, Speaker::Other, "¿Quién era?"),
                Segment::new("s5", 7_000, 8_000, Speaker::Interviewer, "¿Era de día o de noche?"),
                Segment::new("s6", 8_000, 9_000, Speaker::Interviewer, "La la la"),
            ],
        };
        let suggestions = suggest_transcript(&t, Lang::Es);
        let got: Vec<(&str, &str, &str)> =
            suggestions.iter().map(|s| (s.segment_id.as_str(), s.kind.code(), s.rule)).collect();
        let ids: Vec<&str> = got.iter().map(|g| g.0).collect();
        assert_eq!(ids, ["s1", "s3", "s5"], "the other voice and an unrecognised line get nothing: {got:?}");
        assert_eq!(got[0].1, "invitation");
        assert_eq!((got[1].1, got[1].2), ("facilitator", "echo"));
        assert_eq!(got[2].1, "option_posing");
    }

    fn kind(text: &str, lang: Lang) -> Option<PromptType> {
        suggest(text, lang).map(|s| s.kind)
    }

    #[test]
    fn codes_round_trip() {
        for t in PromptType::ALL {
            assert_eq!(PromptType::from_code(t.code()), Some(t));
            assert_eq!(serde_json::to_value(t).unwrap(), t.code());
        }
        assert_eq!(PromptType::from_code("leading"), None);
    }

    #[test]
    fn precedence_keeps_the_most_leading_sentence() {
        assert_eq!(kind("Cuéntame qué pasó. ¿Fue en la noche?", Lang::Es), Some(PromptType::OptionPosing));
        assert_eq!(kind("Okay. Where were you? He hurt you, didn't he?", Lang::En), Some(PromptType::Suggestive));
        assert_eq!(kind("Mm-hm. Tell me more.", Lang::En), Some(PromptType::Invitation));
    }

    #[test]
    fn rules_are_named() {
        let s = suggest("¿Estabas sola, verdad?", Lang::Es).unwrap();
        assert_eq!(s, Suggestion { kind: PromptType::Suggestive, rule: "tag_question" });
        assert_eq!(suggest("¿Y después?", Lang::Es).unwrap().rule, "and_then");
        assert_eq!(suggest("You said he had a camera. Tell me more about that.", Lang::En).unwrap().rule, "invitation_citing_child");
    }

    #[test]
    fn punctuation_and_accents_are_optional() {
        for text in ["¿Dónde estabas?", "Dónde estabas?", "donde estabas", "DONDE ESTABAS"] {
            assert_eq!(kind(text, Lang::Es), Some(PromptType::Directive), "{text}");
        }
        for text in ["y luego que paso", "Y luego, ¿qué pasó?"] {
            assert_eq!(kind(text, Lang::Es), Some(PromptType::Invitation), "{text}");
        }
        assert_eq!(kind("did he say anything", Lang::En), Some(PromptType::OptionPosing));
        assert_eq!(kind("he hurt you didn’t he", Lang::En), None, "no question mark, no tag: a statement");
        assert_eq!(kind("he hurt you didn’t he?", Lang::En), Some(PromptType::Suggestive));
    }

    #[test]
    fn echoes_need_the_childs_words() {
        let child = Some("Estábamos en la cocina con mi tío.");
        assert_eq!(suggest_after("En la cocina.", child, Lang::Es).map(|s| s.rule), Some("echo"));
        assert_eq!(suggest_after("¿Con tu tío?", child, Lang::Es).map(|s| s.kind), Some(PromptType::Facilitator));
        assert_eq!(suggest_after("¿Con tu tío?", None, Lang::Es).map(|s| s.kind), Some(PromptType::OptionPosing));
        assert_eq!(suggest_after("Con tu tío, ¿verdad?", child, Lang::Es).map(|s| s.kind), Some(PromptType::Suggestive));
        assert_eq!(suggest_after("En el baño.", child, Lang::Es), None);
    }

    #[test]
    fn nothing_to_suggest() {
        assert_eq!(suggest("", Lang::Es), None);
        assert_eq!(suggest("  ...  ", Lang::En), None);
        assert_eq!(suggest("[pausa]", Lang::Es), None);
    }
}
