//! The read-only floor for benches/compare.sh: read a CSV with the csv crate
//! (single thread, byte records, as `qualify score` reads) and count records.

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "-".into());
    let file = std::fs::File::open(&path).expect("the input file opens");
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(std::io::BufReader::with_capacity(1 << 16, file));
    let mut record = csv::ByteRecord::new();
    let mut rows = 0u64;
    while reader.read_byte_record(&mut record).expect("the CSV reads") {
        rows += 1;
    }
    println!("{rows}");
}
