//! The command line, as clap reads it. Global options are accepted anywhere
//! on the line (`relato case list --json` and `relato --json case list`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(name = "relato", version, about = "Relato: encrypted vault, cases, sessions and custody log", max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct Global {
    /// Vault file [default: the platform data directory, e.g. ~/.local/share/relato/vault.relato]
    #[arg(long, global = true, env = "RELATO_VAULT", value_name = "PATH")]
    pub vault: Option<PathBuf>,
    /// Who is acting (login name)
    #[arg(long, global = true, env = "RELATO_USER", value_name = "NAME")]
    pub user: Option<String>,
    /// Read the passphrase from FILE (first line) instead of prompting
    #[arg(long, global = true, env = "RELATO_PASSPHRASE_FILE", value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
    /// Unlock with the recovery code in FILE instead of a passphrase
    #[arg(long, global = true, value_name = "FILE", conflicts_with = "passphrase_file")]
    pub recovery_code_file: Option<PathBuf>,
    /// Machine-readable output (JSON on stdout; errors as one JSON line on stderr)
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a new vault with its organisation key, first administrator and recovery code
    Init {
        /// Organisation name, as certificates and the custody annex will show it
        #[arg(long, value_name = "NAME")]
        org: String,
        /// Name of the first administrator (who logs in with --user NAME)
        #[arg(long, value_name = "NAME")]
        admin: String,
        /// Write the recovery code to FILE (created new, mode 600) instead of only showing it
        #[arg(long, value_name = "FILE")]
        recovery_out: Option<PathBuf>,
    },
    /// Say whether the vault exists and is free to open (does not unlock)
    Status,
    /// Users and their access
    #[command(subcommand)]
    User(UserCommand),
    /// Cases
    #[command(subcommand)]
    Case(CaseCommand),
    /// Sessions (one interview with one child)
    #[command(subcommand)]
    Session(SessionCommand),
    /// The custody log
    #[command(subcommand)]
    Log(LogCommand),
    /// Originals (audio) of sessions
    #[command(subcommand)]
    Audio(AudioCommand),
    /// Transcripts of sessions (every save is a logged revision)
    #[command(subcommand)]
    Transcript(TranscriptCommand),
    /// The annotation tiers' controlled vocabularies
    #[command(subcommand)]
    Vocabulary(VocabularyCommand),
    /// Add an annotation to a session (a logged revision)
    Annotate {
        #[arg(long = "session", value_name = "ID")]
        session_id: String,
        /// indicators, notes or prompt-type
        #[arg(long, value_name = "TIER")]
        tier: String,
        /// Start of the span, in ms from the start of the recording
        #[arg(long, value_name = "MS")]
        start: u64,
        /// End of the span, in ms (equal to --start for a point)
        #[arg(long, value_name = "MS")]
        end: u64,
        /// A code of the tier, as `relato vocabulary list` shows it
        #[arg(long, value_name = "CODE")]
        code: String,
        /// Free text (required on the notes tier)
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// The transcript segment it belongs to (required on the prompt-type tier)
        #[arg(long, value_name = "ID")]
        segment: Option<String>,
    },
    /// Annotations of sessions
    #[command(subcommand)]
    Annotations(AnnotationsCommand),
    /// The interview-quality figures of a session (times in ms, counts)
    Quality {
        #[arg(long = "session", value_name = "ID")]
        session_id: String,
    },
    /// List every audio input device with its formats, or test one
    Devices {
        #[command(subcommand)]
        action: Option<DevicesCommand>,
    },
    /// Store an existing recording (WAV, FLAC, MP3, M4A) byte for byte as an original of a session
    Import {
        #[arg(long = "session", value_name = "ID")]
        session_id: String,
        file: PathBuf,
    },
    /// Write an evidence bundle of sessions of one case: originals, derivatives, custody, keys, signatures
    Export {
        /// A session to include (repeat for several sessions of the same case)
        #[arg(long = "session", value_name = "ID", required = true)]
        sessions: Vec<String>,
        /// The bundle folder to create (it must not exist)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Why the bundle is made (logged, and printed in the bundle)
        #[arg(long, value_name = "TEXT")]
        purpose: Option<String>,
        /// For whom (logged, and printed in the bundle)
        #[arg(long, value_name = "TEXT")]
        recipient: Option<String>,
        /// Write one zip file at --out (and print its SHA-256 for the paper form)
        #[arg(long)]
        zip: bool,
        /// Encrypt the zip with age to this recipient key (age1…; repeat for several)
        #[arg(long = "age-recipient", value_name = "KEY", conflicts_with_all = ["age_passphrase", "age_passphrase_file"])]
        age_recipients: Vec<String>,
        /// Encrypt the zip with age to a passphrase, asked twice on the terminal
        #[arg(long, conflicts_with = "age_passphrase_file")]
        age_passphrase: bool,
        /// Encrypt the zip with age to the passphrase on this file's first line
        #[arg(long, value_name = "FILE")]
        age_passphrase_file: Option<PathBuf>,
        /// Add redacted derivatives: a JSON list of {session, text: [...], audio: [{start_ms, end_ms, reason}]} (docs/EVIDENCE.md)
        #[arg(long, value_name = "FILE")]
        redact: Option<PathBuf>,
    },
    /// Check an evidence bundle: file hashes, signatures, certificates, the custody chain, the originals
    Verify {
        /// The bundle folder, its zip, or its age-encrypted zip
        path: PathBuf,
        /// An age identity file (AGE-SECRET-KEY-1…) that opens an encrypted bundle
        #[arg(long, value_name = "FILE", conflicts_with_all = ["age_passphrase", "age_passphrase_file"])]
        age_identity: Option<PathBuf>,
        /// Open an encrypted bundle with a passphrase, asked on the terminal
        #[arg(long, conflicts_with = "age_passphrase_file")]
        age_passphrase: bool,
        /// Open an encrypted bundle with the passphrase on this file's first line
        #[arg(long, value_name = "FILE")]
        age_passphrase_file: Option<PathBuf>,
    },
    /// Receive another vault's bundle: verify it, import its originals, transcripts and annotations into a case, keep its custody history (RECEPCION)
    Receive {
        /// The bundle folder, zip or age-encrypted zip
        path: PathBuf,
        /// Who delivered it
        #[arg(long, value_name = "NAME")]
        from: String,
        /// A case of this vault to add its sessions to [default: a new case with the bundle's reference]
        #[arg(long = "case", value_name = "ID")]
        case_id: Option<String>,
        /// The deliverer's institution
        #[arg(long, value_name = "TEXT")]
        institution: Option<String>,
        #[arg(long, value_name = "TEXT")]
        purpose: Option<String>,
        /// How it travelled: USB drive, optical disc, secure transfer…
        #[arg(long, value_name = "TEXT")]
        medium: Option<String>,
        /// The number on the evidence seal or package
        #[arg(long, value_name = "TEXT")]
        seal: Option<String>,
        /// An age identity file, if the bundle is encrypted
        #[arg(long, value_name = "FILE", conflicts_with = "age_passphrase_file")]
        age_identity: Option<PathBuf>,
        /// The passphrase on this file's first line, if the bundle is encrypted to one
        #[arg(long, value_name = "FILE")]
        age_passphrase_file: Option<PathBuf>,
    },
    /// Record that a case's evidence was handed over (ENTREGA) or received (RECEPCION)
    #[command(subcommand)]
    Handover(HandoverCommand),
    /// Record a session from an input device (stops after --seconds or on Ctrl-C, sealing properly)
    Record {
        #[arg(long = "session", value_name = "ID")]
        session_id: String,
        /// Stop after this many seconds
        #[arg(long, value_name = "N")]
        seconds: u64,
        /// Input device name as `relato devices` lists it [default: the system's default input]
        #[arg(long, value_name = "NAME")]
        device: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum HandoverCommand {
    /// ENTREGA: the case's evidence was delivered to someone
    Deliver {
        /// The person who received it
        #[arg(long, value_name = "NAME")]
        to: String,
        #[command(flatten)]
        details: HandoverDetails,
    },
    /// RECEPCION: the case's evidence was received from someone
    Receive {
        /// The person who delivered it
        #[arg(long, value_name = "NAME")]
        from: String,
        #[command(flatten)]
        details: HandoverDetails,
    },
}

/// What a hand-over's custody line records besides who.
#[derive(Args, Debug)]
pub struct HandoverDetails {
    #[arg(long = "case", value_name = "ID")]
    pub case_id: String,
    /// The other person's institution
    #[arg(long, value_name = "TEXT")]
    pub institution: Option<String>,
    #[arg(long, value_name = "TEXT")]
    pub purpose: Option<String>,
    /// How it travelled: USB drive, optical disc, secure transfer…
    #[arg(long, value_name = "TEXT")]
    pub medium: Option<String>,
    /// The number on the evidence seal or package
    #[arg(long, value_name = "TEXT")]
    pub seal: Option<String>,
    /// The bundle that went with it: verified first, and recorded by its manifest's and its file's SHA-256
    #[arg(long, value_name = "PATH")]
    pub bundle: Option<PathBuf>,
    /// An age identity file, if the bundle is encrypted
    #[arg(long, value_name = "FILE", conflicts_with = "age_passphrase_file")]
    pub age_identity: Option<PathBuf>,
    /// The passphrase on this file's first line, if the bundle is encrypted to one
    #[arg(long, value_name = "FILE")]
    pub age_passphrase_file: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum TranscriptCommand {
    /// Save a WebVTT file (voices as <v Speaker>) as a new revision of the session's transcript
    Import {
        #[arg(long = "session", value_name = "ID")]
        session_id: String,
        file: PathBuf,
    },
    /// Show the session's transcript (the latest revision, or --rev N)
    Show {
        #[arg(long = "session", value_name = "ID")]
        session_id: String,
        #[arg(long, value_name = "N")]
        rev: Option<u32>,
    },
}

#[derive(Subcommand, Debug)]
pub enum VocabularyCommand {
    /// Every code of every tier with its Spanish and English label and definition
    List,
}

#[derive(Subcommand, Debug)]
pub enum AnnotationsCommand {
    /// The session's annotations as they stand
    List {
        #[arg(long = "session", value_name = "ID")]
        session_id: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum DevicesCommand {
    /// Listen to an input for a few seconds and report its level (nothing is stored)
    Test {
        /// Input device name as `relato devices` lists it [default: the system's default input]
        #[arg(long, value_name = "NAME")]
        device: Option<String>,
        #[arg(long, value_name = "N", default_value_t = 5.0)]
        seconds: f32,
    },
}

#[derive(Subcommand, Debug)]
pub enum AudioCommand {
    /// Write a session's original to a new WAV file whose SHA-256 equals its HASH_RECORDED (logged)
    Export {
        #[arg(long = "session", value_name = "ID")]
        session_id: String,
        /// The file to create (never overwritten)
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Which recording [default: the session's latest sealed one]
        #[arg(long, value_name = "ID")]
        recording: Option<String>,
        /// Why it is exported (goes into the custody log)
        #[arg(long, value_name = "TEXT")]
        purpose: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Add a person with a role (administrators)
    Add {
        #[arg(long, value_name = "NAME")]
        name: String,
        /// administrator | interviewer | reviewer | litigator
        #[arg(long, value_name = "ROLE")]
        role: String,
        /// File whose first line is the new user's passphrase
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: PathBuf,
        /// Institution [default: the organisation]
        #[arg(long, value_name = "TEXT")]
        institution: Option<String>,
    },
    /// List users and whether their access is active
    List,
    /// Change your passphrase, or (administrators, recovery) reset another user's
    Passwd {
        /// Whose passphrase to reset [default: your own]
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        /// File whose first line is the new passphrase [default: prompt twice]
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
    },
    /// Revoke a user's access (administrators); their past signatures stay valid
    Revoke {
        #[arg(long, value_name = "NAME")]
        name: String,
    },
}

#[derive(Args, Debug, Default)]
pub struct CaseFieldArgs {
    /// Place (free text: state, municipality, community)
    #[arg(long, value_name = "TEXT")]
    pub place: Option<String>,
    /// Institution involved (free text: school, shelter, church…)
    #[arg(long, value_name = "TEXT")]
    pub institution: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum CaseCommand {
    /// Create a case; prints its id alone
    New {
        /// Reference code (e.g. the file number)
        #[arg(long = "ref", value_name = "REF")]
        reference: String,
        #[command(flatten)]
        fields: CaseFieldArgs,
    },
    /// List cases
    List,
    /// Show a case, its revisions and its sessions
    Show { id: String },
    /// Edit a case (adds a revision; earlier ones are kept)
    Edit {
        id: String,
        #[arg(long = "ref", value_name = "REF")]
        reference: Option<String>,
        #[command(flatten)]
        fields: CaseFieldArgs,
    },
}

#[derive(Args, Debug, Default)]
pub struct SessionFieldArgs {
    /// Interviewer's login name [default: you]
    #[arg(long, value_name = "NAME")]
    pub interviewer: Option<String>,
    /// A person present, by role (repeatable): interviewer, psychologist, guardian,
    /// legal_representative, public_prosecutor, child_rights_advocate, interpreter, other
    #[arg(long = "present", value_name = "ROLE")]
    pub present: Vec<String>,
    /// Interview protocol used (e.g. NICHD)
    #[arg(long, value_name = "TEXT")]
    pub protocol: Option<String>,
    /// Reference of the consent form
    #[arg(long = "consent", value_name = "REF")]
    pub consent: Option<String>,
    /// General location (municipality, office — never an address)
    #[arg(long, value_name = "TEXT")]
    pub location: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum SessionCommand {
    /// Create a session; prints its id alone
    New {
        #[arg(long = "case", value_name = "ID")]
        case_id: String,
        /// The child's code (never a name): letters, digits, '-' and '_' with at least one digit
        #[arg(long, value_name = "CODE")]
        child_code: String,
        /// Age in years at the interview
        #[arg(long, value_name = "N")]
        age: u8,
        /// es | en
        #[arg(long, value_name = "LANG")]
        language: String,
        #[command(flatten)]
        fields: SessionFieldArgs,
    },
    /// List the sessions of a case
    List {
        #[arg(long = "case", value_name = "ID")]
        case_id: String,
    },
    /// Show a session's metadata
    Show { id: String },
    /// Edit a session (adds a revision)
    Edit {
        id: String,
        #[arg(long, value_name = "CODE")]
        child_code: Option<String>,
        #[arg(long, value_name = "N")]
        age: Option<u8>,
        #[arg(long, value_name = "LANG")]
        language: Option<String>,
        #[command(flatten)]
        fields: SessionFieldArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum LogCommand {
    /// Recompute every chain and signature; names the first bad line
    Verify {
        /// Only this case's chain [default: the vault chain and every case]
        #[arg(long = "case", value_name = "ID")]
        case_id: Option<String>,
    },
    /// Print a chain's lines exactly as signed (JSON Lines)
    Show {
        /// A case's chain [default: the vault chain]
        #[arg(long = "case", value_name = "ID")]
        case_id: Option<String>,
    },
}
