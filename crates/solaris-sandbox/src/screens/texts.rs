//! The hosted screens' texts in German and English. Solaris' own failure messages come from
//! the domain crate's Appendix III catalog.

use bankident_domain::Language;

/// A text of the hosted screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)] // the names say what they are
pub enum Text {
    Brand,
    SandboxNotice,
    ErrorPrefix,
    ErrorSummaryTitle,
    Continue,
    IntroTitle,
    IntroBody,
    IntroSteps1,
    IntroSteps2,
    IntroSteps3,
    Start,
    MobileTitle,
    MobileBody,
    MobileHint,
    CodeLabel,
    CodeMissing,
    CodeWrong,
    Confirm,
    MobileVerifiedTitle,
    MobileVerifiedBody,
    IbanTitle,
    IbanBody,
    IbanLabel,
    IbanHint,
    IbanInvalid,
    IbanNotGerman,
    BankLoginTitle,
    BankLoginBody,
    UserIdLabel,
    PasswordLabel,
    UserIdMissing,
    PasswordMissing,
    LogIn,
    TanTitle,
    TanBody,
    TanLabel,
    TanMissing,
    TransferDoneTitle,
    TransferDoneBody,
    ContinueAtBankTitle,
    ContinueAtBank,
    ContractTitle,
    ContractBody,
    DownloadContract,
    SignWithCode,
    QesTitle,
    QesBody,
    QesHint,
    SendNewCode,
    Sign,
    DoneTitle,
    DoneBody,
    BackToPartner,
    FailedTitle,
    TryAnotherIban,
    NotFoundTitle,
    NotFoundBody,
    LeaveToPartner,
    ExpiredTitle,
    ExpiredBody,
    CompletedTitle,
    CompletedBody,
    SampleTermsTitle,
    SamplePrivacyTitle,
    SampleDataTermsTitle,
    SampleDocumentBody,
    SampleDocumentBack,
    OtherLanguage,
}

impl Text {
    /// The text in `language`.
    pub fn get(self, language: Language) -> &'static str {
        let (de, en) = self.both();
        match language {
            Language::De => de,
            Language::En => en,
        }
    }

    fn both(self) -> (&'static str, &'static str) {
        use Text::*;
        match self {
            Brand => ("Solaris Identifizierung", "Solaris identification"),
            SandboxNotice => (
                "Sandbox-Emulator: keine echten Daten eingeben.",
                "Sandbox emulator: do not enter real data.",
            ),
            ErrorPrefix => ("Fehler: ", "Error: "),
            ErrorSummaryTitle => ("Es gibt ein Problem", "There is a problem"),
            Continue => ("Weiter", "Continue"),
            IntroTitle => (
                "Identifizierung mit Ihrem Bankkonto",
                "Identify with your bank account",
            ),
            IntroBody => (
                "In wenigen Schritten bestätigen wir Ihre Identität:",
                "We confirm your identity in a few steps:",
            ),
            IntroSteps1 => (
                "Sie bestätigen Ihre Mobilnummer mit einem SMS-Code.",
                "You confirm your mobile number with a code by text message.",
            ),
            IntroSteps2 => (
                "Sie melden sich bei Ihrer Bank an und bestätigen eine Überweisung von 5 Cent.",
                "You log in to your bank and confirm a transfer of 5 cents.",
            ),
            IntroSteps3 => (
                "Sie unterschreiben den Identifizierungsbericht mit einem SMS-Code.",
                "You sign the identification report with a code by text message.",
            ),
            Start => ("Identifizierung starten", "Start identification"),
            MobileTitle => ("Mobilnummer bestätigen", "Confirm your mobile number"),
            MobileBody => (
                "Wir haben einen 6-stelligen Code per SMS gesendet an",
                "We sent a 6-digit code by text message to",
            ),
            MobileHint => (
                "Sandbox: Der Code steht im SMS-Postfach (/_sandbox/sms); für +15550101 gilt auch 212212.",
                "Sandbox: the code is in the SMS inbox (/_sandbox/sms); for +15550101, 212212 works too.",
            ),
            CodeLabel => ("SMS-Code", "Code from the text message"),
            CodeMissing => (
                "Geben Sie den Code aus der SMS ein",
                "Enter the code from the text message",
            ),
            CodeWrong => (
                "Der Code ist falsch oder abgelaufen. Prüfen Sie ihn oder fordern Sie einen neuen an",
                "The code is wrong or has expired. Check it or ask for a new one",
            ),
            Confirm => ("Bestätigen", "Confirm"),
            MobileVerifiedTitle => ("Mobilnummer bestätigt", "Mobile number confirmed"),
            MobileVerifiedBody => (
                "Ihre Mobilnummer ist bestätigt.",
                "Your mobile number is confirmed.",
            ),
            IbanTitle => (
                "Welches Bankkonto möchten Sie nutzen?",
                "Which bank account do you want to use?",
            ),
            IbanBody => (
                "Das Konto muss auf Ihren Namen laufen und Online-Banking haben.",
                "The account must be in your name and have online banking.",
            ),
            IbanLabel => ("IBAN", "IBAN"),
            IbanHint => (
                "Eine deutsche IBAN mit 22 Zeichen, zum Beispiel DE11 1101 0101 0100 0000 20",
                "A German IBAN of 22 characters, for example DE11 1101 0101 0100 0000 20",
            ),
            IbanInvalid => (
                "Geben Sie eine gültige deutsche IBAN ein",
                "Enter a valid German IBAN",
            ),
            IbanNotGerman => (
                "Geben Sie eine deutsche IBAN ein (sie beginnt mit DE)",
                "Enter a German IBAN (it starts with DE)",
            ),
            BankLoginTitle => ("Bei Ihrer Bank anmelden", "Log in to your bank"),
            BankLoginBody => (
                "Melden Sie sich mit Ihren Online-Banking-Zugangsdaten an.",
                "Log in with your online banking details.",
            ),
            UserIdLabel => ("Anmeldename oder Kontonummer", "User ID or account number"),
            PasswordLabel => ("PIN oder Passwort", "PIN or password"),
            UserIdMissing => ("Geben Sie Ihren Anmeldenamen ein", "Enter your user ID"),
            PasswordMissing => (
                "Geben Sie Ihre PIN oder Ihr Passwort ein",
                "Enter your PIN or password",
            ),
            LogIn => ("Anmelden", "Log in"),
            TanTitle => (
                "Überweisung von 5 Cent bestätigen",
                "Confirm the transfer of 5 cents",
            ),
            TanBody => (
                "Bestätigen Sie die Überweisung mit der TAN Ihrer Bank.",
                "Confirm the transfer with your bank's TAN.",
            ),
            TanLabel => ("TAN", "TAN"),
            TanMissing => ("Geben Sie die TAN ein", "Enter the TAN"),
            TransferDoneTitle => ("Überweisung bestätigt", "Transfer confirmed"),
            TransferDoneBody => (
                "Sie können zur App zurückkehren.",
                "You can return to the app.",
            ),
            ContinueAtBankTitle => ("Weiter bei Ihrer Bank", "Continue at your bank"),
            ContinueAtBank => ("Zur Anmeldung bei der Bank", "Go to your bank's login"),
            ContractTitle => (
                "Identifizierungsbericht prüfen",
                "Review your identification report",
            ),
            ContractBody => (
                "Bitte lesen Sie den Bericht. Danach unterschreiben Sie ihn mit einem SMS-Code.",
                "Please read the report. Then sign it with a code by text message.",
            ),
            DownloadContract => ("Bericht herunterladen (PDF)", "Download the report (PDF)"),
            SignWithCode => (
                "Mit SMS-Code unterschreiben",
                "Sign with a text message code",
            ),
            QesTitle => ("Bericht unterschreiben", "Sign the report"),
            QesBody => (
                "Wir haben einen 6-stelligen Code per SMS gesendet. Referenz:",
                "We sent a 6-digit code by text message. Reference:",
            ),
            QesHint => (
                "Sandbox: Der Code steht im SMS-Postfach (/_sandbox/sms). Jeder neue Code ersetzt den vorherigen.",
                "Sandbox: the code is in the SMS inbox (/_sandbox/sms). Each new code replaces the previous one.",
            ),
            SendNewCode => ("Neuen Code senden", "Send a new code"),
            Sign => ("Unterschreiben", "Sign"),
            DoneTitle => ("Sie sind identifiziert", "You are identified"),
            DoneBody => (
                "Ihre Identifizierung war erfolgreich.",
                "Your identification was successful.",
            ),
            BackToPartner => ("Zurück zur App", "Back to the app"),
            FailedTitle => (
                "Identifizierung nicht möglich",
                "Identification not possible",
            ),
            TryAnotherIban => ("Andere IBAN verwenden", "Use another IBAN"),
            LeaveToPartner => (
                "Abbrechen und zurück zur App",
                "Cancel and go back to the app",
            ),
            ExpiredTitle => ("Sitzung abgelaufen", "Session expired"),
            ExpiredBody => (
                "Diese Identifizierung ist abgelaufen. Bitte starten Sie sie in der App neu.",
                "This identification has expired. Please start it again in the app.",
            ),
            CompletedTitle => ("Identifizierung abgeschlossen", "Identification completed"),
            CompletedBody => (
                "Diese Identifizierung ist bereits abgeschlossen.",
                "This identification has already been completed.",
            ),
            SampleTermsTitle => (
                "Allgemeine Geschäftsbedingungen (Muster)",
                "Terms and conditions (sample)",
            ),
            SamplePrivacyTitle => ("Datenschutzhinweise (Muster)", "Privacy notice (sample)"),
            SampleDataTermsTitle => (
                "Datenschutzbedingungen der Solaris SE (Muster)",
                "Solaris SE data processing terms (sample)",
            ),
            SampleDocumentBody => (
                "Dies ist ein Platzhalter des Sandbox-Emulators für die Demo. In einer echten Anbindung steht hier das Dokument Ihres Anbieters oder von Solaris, dem Sie mit Ihrem Häkchen zustimmen.",
                "This is a placeholder of the sandbox emulator for the demo. In a real integration, this is your provider's or Solaris' document that you agree to with your tick.",
            ),
            SampleDocumentBack => (
                "Mit der Zurück-Taste Ihres Browsers kommen Sie zu Ihren Einwilligungen zurück; Ihre Angaben bleiben erhalten.",
                "Use your browser's Back button to return to your consents; your answers are kept.",
            ),
            OtherLanguage => ("English", "Deutsch"),
            NotFoundTitle => ("Sitzung nicht gefunden", "Session not found"),
            NotFoundBody => (
                "Dieser Link ist ungültig. Bitte starten Sie die Identifizierung in der App neu.",
                "This link is not valid. Please start the identification again in the app.",
            ),
        }
    }
}
