//! Crash safety of the real binary: `dafu index` killed (SIGKILL) in the middle of a large run,
//! `dafu serve` killed during live updates, and `dafu serve` stopped by SIGTERM while a write
//! is in flight. After each, the index opens at its last commit, searches work, and running
//! the same work again ends with every reply exactly once.

use std::collections::{BTreeSet, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::write_fixtures;

const TOKEN: &str = "crash-test-token-51c2";

fn dafu() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dafu"));
    command
        .env("DAFU_LOG", "warn")
        .env_remove("DAFU_ADMIN_TOKEN");
    command
}

fn run_ok(command: &mut Command) -> String {
    let out = command.output().expect("run dafu");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{command:?}\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Every reply id the index holds, in export order (duplicates kept, so they can be seen).
fn exported_ids(index: &Path) -> Vec<String> {
    let out = run_ok(dafu().args(["export", "--format", "ndjson", "--index", path(index)]));
    out.lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("export line");
            v["id"].as_str().expect("id").to_string()
        })
        .collect()
}

fn search_total(index: &Path, q: &str) -> u64 {
    let out = run_ok(dafu().args(["search", "--json", "--index", path(index), q]));
    let v: Value = serde_json::from_str(&out).expect("search JSON");
    v["total"].as_u64().expect("total")
}

/// The segment ids (32 hex digits) that the index's files belong to, and those its last
/// commit (meta.json) lists.
fn segment_files_and_committed(index: &Path) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut files = BTreeSet::new();
    for entry in std::fs::read_dir(index).expect("index folder") {
        let name = entry.expect("entry").file_name();
        let name = name.to_string_lossy();
        if let Some((stem, _)) = name.split_once('.')
            && stem.len() == 32
            && stem.bytes().all(|b| b.is_ascii_hexdigit())
        {
            files.insert(stem.to_string());
        }
    }
    let meta: Value = std::fs::read(index.join("meta.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(Value::Null);
    let committed = meta["segments"]
        .as_array()
        .map(|segments| {
            segments
                .iter()
                .filter_map(|s| s["segment_id"].as_str())
                .map(|id| id.replace('-', ""))
                .collect()
        })
        .unwrap_or_default();
    (files, committed)
}

fn kill(child: &mut Child, signal: &str) {
    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill {signal} failed");
}

#[test]
fn index_killed_mid_run_keeps_its_last_commit_and_a_rerun_completes() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let count = 1200;
    run_ok(dafu().args([
        "sample",
        "--count",
        &count.to_string(),
        "--out",
        path(&corpus),
    ]));
    // The last commit before the crash: the first 40 replies of the corpus, in a file of their
    // own (the large run then replaces them: same ids).
    let first_shard = corpus.join("replies-0001.jsonl");
    let head: String = std::fs::read_to_string(&first_shard)
        .unwrap()
        .lines()
        .take(40)
        .map(|l| format!("{l}\n"))
        .collect();
    let early = dir.path().join("early.jsonl");
    std::fs::write(&early, head).unwrap();
    let index = dir.path().join("index");
    run_ok(dafu().args([
        "index",
        "-q",
        "--input",
        path(&early),
        "--index",
        path(&index),
    ]));
    assert_eq!(search_total(&index, ""), 40);
    let (_, before) = segment_files_and_committed(&index);

    // The large run, with a small writer budget (segments are written long before the one
    // commit at the end), killed once it has written a segment the last commit does not list.
    let large_run = || {
        let mut command = dafu();
        command.args([
            "index",
            "-q",
            "--threads",
            "1",
            "--memory-mb",
            "16",
            "--input",
            path(&corpus),
            "--index",
            path(&index),
        ]);
        command
    };
    let mut child = large_run()
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start dafu index");
    let deadline = Instant::now() + Duration::from_secs(600);
    let killed = loop {
        let (files, committed) = segment_files_and_committed(&index);
        if files.difference(&committed).next().is_some() {
            kill(&mut child, "-KILL");
            break true;
        }
        if child.try_wait().expect("wait").is_some() || Instant::now() > deadline {
            break false;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let status = child.wait().expect("wait for dafu index");
    assert!(
        killed,
        "dafu index ended ({status}) before writing an uncommitted segment: enlarge the corpus"
    );
    assert!(!status.success(), "killed: {status}");

    // The index opens at its last commit: the 40 replies, searchable, and nothing of the
    // killed run's segments.
    let (files, committed) = segment_files_and_committed(&index);
    assert_eq!(committed, before, "the commit changed");
    assert!(
        files.len() > committed.len(),
        "the killed run left no files"
    );
    let ids = exported_ids(&index);
    assert_eq!(ids.len(), 40);
    assert!(search_total(&index, "建议") > 0, "searches work");

    // The same command again completes, with every reply once.
    run_ok(&mut large_run());
    let ids = exported_ids(&index);
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate replies");
    assert_eq!(ids.len(), count, "lost replies");
    assert!((1..=count).all(|n| unique.contains(&format!("sample-{n:06}"))));
    assert_eq!(search_total(&index, "") as usize, count);
    // The crashed run's files were collected by the commit.
    let (files, committed) = segment_files_and_committed(&index);
    assert_eq!(files, committed, "orphan segment files remain");
}

/// A running `dafu serve`: the child, its address and a channel of its log lines.
struct Server {
    child: Child,
    addr: String,
    log: mpsc::Receiver<String>,
}

impl Server {
    fn start(index: &Path, log_filter: &str) -> Server {
        let mut child = dafu()
            .args(["serve", "--index", path(index), "--addr", "127.0.0.1:0"])
            .env("DAFU_ADMIN_TOKEN", TOKEN)
            .env("DAFU_LOG", log_filter)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start dafu serve");
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut first)
            .expect("read the address line");
        let addr = first
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("no address in {first:?}"))
            .to_string();
        let log = forward_lines(child.stderr.take().expect("stderr"));
        Server { child, addr, log }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn forward_lines(stderr: ChildStderr) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Sends a request's head (and `body`, when given) on a new connection.
fn send_head(addr: &str, method: &str, target: &str, length: usize) -> std::io::Result<TcpStream> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(120)))?;
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {TOKEN}\r\n\
         Content-Type: application/x-ndjson\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n"
    )?;
    Ok(stream)
}

/// The status and body of the answer on `stream`.
fn read_answer(mut stream: TcpStream) -> std::io::Result<(u16, String)> {
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status line in {text:?}")))?;
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string());
    Ok((status, body.unwrap_or_default()))
}

fn http(addr: &str, method: &str, target: &str, body: &str) -> std::io::Result<(u16, String)> {
    let mut stream = send_head(addr, method, target, body.len())?;
    stream.write_all(body.as_bytes())?;
    read_answer(stream)
}

/// A reply of our own, numbered.
fn reply(id: &str) -> String {
    let record = json!({
        "id": id,
        "text": format!(
            "关于市十五届人大三次会议第{n}号建议的答复\n\n王某某代表：\n\n您提出的《关于加快海绵城市建设的建议》（办理编号{id}）收悉，现答复如下：\n我局将于2023年底前完成老旧小区雨污分流改造{n}个，并安排专项资金予以保障。\n\n宁波市住房和城乡建设局\n2022年6月{day}日\n",
            n = id.len() * 7 % 97 + 3,
            day = id.len() % 27 + 1,
            id = id,
        ),
        "source": "crash test"
    });
    record.to_string()
}

/// The ids of one live-update request: `per` replies.
fn request_ids(writer: usize, n: usize, per: usize) -> Vec<String> {
    (0..per).map(|i| format!("live-{writer}-{n}-{i}")).collect()
}

fn ndjson(ids: &[String]) -> String {
    ids.iter().map(|id| reply(id) + "\n").collect()
}

fn fixture_index(dir: &Path) -> PathBuf {
    let input = dir.join("in");
    write_fixtures(&input);
    let index = dir.join("index");
    run_ok(dafu().args([
        "index",
        "-q",
        "--input",
        path(&input),
        "--index",
        path(&index),
    ]));
    index
}

fn reply_exists(addr: &str, id: &str) -> bool {
    match http(addr, "GET", &format!("/api/replies/{id}"), "") {
        Ok((200, _)) => true,
        Ok((404, _)) => false,
        other => panic!("GET {id}: {other:?}"),
    }
}

#[test]
fn server_killed_during_live_updates_keeps_every_answered_write() {
    let dir = tempfile::tempdir().unwrap();
    let index = fixture_index(dir.path());
    let base = search_total(&index, "") as usize;
    let server = Server::start(&index, "warn");
    let addr = server.addr.clone();

    // Two writers post requests of 5 replies each until the server dies; what each request
    // got back is recorded (acknowledged or not).
    let per = 5;
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged = Arc::new(Mutex::new(Vec::<(usize, usize)>::new()));
    let sent = Arc::new(Mutex::new(Vec::<(usize, usize)>::new()));
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let (addr, stop) = (addr.clone(), stop.clone());
            let (acknowledged, sent) = (acknowledged.clone(), sent.clone());
            std::thread::spawn(move || {
                for n in 0.. {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    sent.lock().unwrap().push((w, n));
                    let body = ndjson(&request_ids(w, n, per));
                    match http(&addr, "POST", "/api/replies", &body) {
                        Ok((200, _)) => acknowledged.lock().unwrap().push((w, n)),
                        Ok((status, body)) => panic!("POST answered {status}: {body}"),
                        // The server died under this request.
                        Err(_) => break,
                    }
                }
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(300);
    while acknowledged.lock().unwrap().len() < 6 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut server = server;
    kill(&mut server.child, "-KILL");
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        w.join().expect("writer thread");
    }
    let _ = server.child.wait();
    drop(server);
    let acknowledged = acknowledged.lock().unwrap().clone();
    let sent = sent.lock().unwrap().clone();
    assert!(acknowledged.len() >= 6, "too few writes before the kill");

    // Restarted on the same folder (the writer lock died with the process): every
    // acknowledged request is there in full, any other request wholly or not at all.
    let server = Server::start(&index, "warn");
    let mut present = 0;
    for &(w, n) in &sent {
        let found: Vec<bool> = request_ids(w, n, per)
            .iter()
            .map(|id| reply_exists(&server.addr, id))
            .collect();
        let all = found.iter().all(|&f| f);
        assert!(
            all || found.iter().all(|&f| !f),
            "request {w}-{n} half applied: {found:?}"
        );
        if acknowledged.contains(&(w, n)) {
            assert!(all, "acknowledged request {w}-{n} was lost");
        }
        present += usize::from(all);
    }
    let (status, body) = http(&server.addr, "GET", "/api/search?q=", "").unwrap();
    assert_eq!(status, 200, "{body}");
    let total = serde_json::from_str::<Value>(&body).unwrap()["total"].as_u64();
    assert_eq!(total, Some((base + present * per) as u64));

    // Sending everything again leaves each reply once.
    for &(w, n) in &sent {
        let (status, body) = http(
            &server.addr,
            "POST",
            "/api/replies",
            &ndjson(&request_ids(w, n, per)),
        )
        .unwrap();
        assert_eq!(status, 200, "{body}");
    }
    drop(server);
    let ids = exported_ids(&index);
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate replies");
    assert_eq!(ids.len(), base + sent.len() * per);
}

#[test]
fn sigterm_lets_the_write_in_flight_finish_then_stops() {
    let dir = tempfile::tempdir().unwrap();
    let index = fixture_index(dir.path());
    // Request spans are logged when a request starts (tower-http at debug).
    let mut server = Server::start(&index, "warn,tower_http=debug");
    let ids: Vec<String> = (0..3).map(|i| format!("sigterm-{i}")).collect();
    let body = ndjson(&ids);
    let (head, tail) = body.as_bytes().split_at(body.len() / 2);
    let mut stream = send_head(&server.addr, "POST", "/api/replies", body.len()).unwrap();
    stream.write_all(head).unwrap();
    stream.flush().unwrap();
    // The server has the request once it logs it; then SIGTERM, then the rest of the body.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let line = server
            .log
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("the server never logged the request");
        if line.contains("started processing request") {
            break;
        }
    }
    kill(&mut server.child, "-TERM");
    stream.write_all(tail).unwrap();
    let (status, answer) = read_answer(stream).unwrap();
    assert_eq!(status, 200, "{answer}");
    let answer: Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(
        answer["created"].as_array().map(Vec::len),
        Some(3),
        "{answer}"
    );
    let status = server.child.wait().unwrap();
    assert!(status.success(), "dafu serve exited with {status}");
    // New connections are refused once it stopped; the write is in the index.
    assert!(TcpStream::connect(&server.addr).is_err());
    drop(server);
    let exported = exported_ids(&index);
    assert!(ids.iter().all(|id| exported.contains(id)), "{exported:?}");
}
