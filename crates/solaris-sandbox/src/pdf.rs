//! Minimal one-page PDF documents (PDF 1.4, Helvetica text) for the contract the customer
//! reviews and the signed KYC report: real files a PDF viewer opens.

/// A one-page PDF showing `lines` of text from the top left.
pub fn text_document(title: &str, lines: &[String]) -> Vec<u8> {
    let mut content = String::from("BT /F1 16 Tf 56 780 Td 22 TL\n");
    content.push_str(&format!("({}) Tj T*\n/F1 11 Tf 16 TL\n", escape(title)));
    for line in lines {
        content.push_str(&format!("({}) Tj T*\n", escape(line)));
    }
    content.push_str("ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".to_string(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (index, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", index + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// PDF string escaping; characters outside Latin-1 become `?` (the font's encoding is WinAnsi).
fn escape(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '(' | ')' | '\\' => format!("\\{c}"),
            c if (c as u32) < 0x20 => " ".to_string(),
            c if (c as u32) < 0x80 => c.to_string(),
            c if (c as u32) < 0x100 => format!("\\{:03o}", c as u32),
            _ => "?".to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn produces_a_well_formed_pdf() {
        let pdf = text_document("KYC report (test)", &["Name: Jürgen Müller".to_string()]);
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.starts_with("%PDF-1.4") && text.ends_with("%%EOF\n"));
        // The xref offset points at the xref table.
        let startxref: usize = text
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(text[startxref..].starts_with("xref"));
        assert!(text.contains("KYC report \\(test\\)"));
        assert!(text.contains("J\\374rgen"), "ü in WinAnsi");
    }
}
